// The engine imports nothing, so AssemblyScript's `abort` (an `env` import by
// default) is replaced by a plain trap. The host turns a trap into an ERROR
// evaluation and rebuilds the instance from the last good datafile.
function trap(
  message: usize,
  fileName: usize,
  lineNumber: u32,
  columnNumber: u32,
): void {
  unreachable();
}
