// The engine imports nothing: AssemblyScript's `abort` (an `env` import by
// default) is disabled (`"use": ["abort="]` in asconfig.json), so a `throw`
// or a failed `assert` compiles to a plain `unreachable` trap and stores no
// message or file name (the standard library's ~0.9 KB of them). The host
// turns a trap into an ERROR evaluation and rebuilds the instance from the
// last good datafile. This file declares nothing; asc's command lines still
// name it.
