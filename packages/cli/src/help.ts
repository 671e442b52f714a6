/** Help texts: `avsb --help` and `avsb <command> --help`. */

export const COMMANDS = ['dev', 'validate', 'eval', 'compile', 'results', 'import', 'export'] as const;
export type CommandName = (typeof COMMANDS)[number];

export const MAIN_HELP = `avsb: the A vs B command line (feature flags and A/B experiments)

Usage: avsb <command> [options]

Commands:
  dev        start the local A vs B server with an example project
  validate   check a datafile or a project document, listing every problem
  eval       evaluate one flag for one context (datafile or server)
  compile    write a datafile's compiled document (for avsb-evaluator.wasm)
  results    show an experiment's results as a table
  import     import a project document into a database or server
  export     export a project as JSON or YAML

Options:
  -h, --help     show help (also: avsb <command> --help)
  -v, --version  print the version

Environment:
  AVSB_SERVER       default --server of results (else http://127.0.0.1:4400) and of eval
  AVSB_ADMIN_TOKEN  default --token for results, import and export
  AVSB_SDK_KEY      default --sdk-key for eval (keeps the key out of shell history)

Exit codes: 0 success, 1 failure or problems found, 2 bad usage.
`;

export const HELP: Record<CommandName, string> = {
  dev: `Usage: avsb dev [options]

Starts the local A vs B server: SDK endpoints, admin API and dashboard, in a
SQLite file. The first run seeds the example project "shop". Prints the
dashboard URL, the admin token and the example project's SDK keys, then logs
one line per request (method, path, status, milliseconds). Ctrl-C stops it.

Options:
  --port <n>         port to listen on (default 4400; 0 picks a free one)
  --host <address>   address to bind (default 127.0.0.1)
  --db <file>        SQLite database file (default ./avsb.db)
  --token <token>    admin token (default: AVSB_ADMIN_TOKEN, else a new
                     random one each start)
  --quiet            do not log requests
  --exec <command>   also run <command> (e.g. your app) with AVSB_BASE_URL,
                     AVSB_SDK_KEY and AVSB_CLIENT_KEY of the example project's
                     production environment; it is stopped (SIGTERM) first
  -h, --help         show this help
`,
  validate: `Usage: avsb validate <file> [options]

Checks a datafile (packages/engine/SPEC.md) or a project document (the
format of avsb import/export), JSON or YAML, with the real engine. Prints
every problem with its JSON path, not just the first.

Options:
  --json      print {"valid", "kind", "problems": [{"path", "message"}], "summary"}
  -h, --help  show this help

Exit codes: 0 valid, 1 problems found (or the file cannot be read), 2 bad usage.
`,
  eval: `Usage: avsb eval <flag> --context <json> (--datafile <file> | --server <url> --sdk-key <key>)

Evaluates one flag for one context with the engine and prints the value, the
variation index, the reason and whether the evaluation is in an experiment.

Options:
  --context <json>     the context, e.g. '{"kind":"user","key":"u_1","plan":"pro"}'
                       (@file reads it from a file)
  --datafile <file>    a datafile (JSON)
  --server <url>       an A vs B server: GET /sdk/v1/datafile with the SDK key;
                       default AVSB_SERVER (when --datafile is not given)
  --sdk-key <key>      a server (srv-…) or client (cli-…) key; default AVSB_SDK_KEY.
                       Never printed.
  --json               print {"flag", "value", "variationIndex", "reason", "inExperiment"}
  -h, --help           show this help

Exit codes: 0 evaluated, 1 error (unknown flag, bad datafile, server refused), 2 bad usage.
`,
  compile: `Usage: avsb compile <datafile> [--out <file>]

Compiles a datafile (JSON or YAML) into the compiled datafile document that
the evaluator, avsb-evaluator.wasm, loads (@avsb/engine's
docs/compiled-datafile.md): for applications that start from a file, e.g.
new AvsbServer({ engineBinary: 'evaluator', initialDatafile: 'flags.avsbc.json' }).
The full engine checks it first: a datafile it refuses is refused with the
same message, and its warnings are printed on stderr.

Options:
  -o, --out <file>  write the document there (default: standard output)
  -h, --help        show this help

Exit codes: 0 compiled, 1 error (unreadable or invalid datafile, cannot write), 2 bad usage.
`,
  results: `Usage: avsb results <flag> --metric <event key> [options]

Fetches an experiment's results from the admin API and prints, per
variation: contexts exposed, conversions, conversion rate, lift against the
control with its 95% confidence interval, p-value and the mean event value;
then the sample ratio mismatch (SRM) check. When nothing converted, it says
on stderr whether the metric was tracked at all, and lists the metrics seen.

Options:
  --metric <key>      the custom event that counts as a conversion (required)
  --server <url>      server URL (default AVSB_SERVER, else http://127.0.0.1:4400)
  --token <token>     admin token (default AVSB_ADMIN_TOKEN)
  --project <key>     project (default shop)
  --env <key>         environment (default production)
  --json              print the server's answer as JSON
  -h, --help          show this help
`,
  import: `Usage: avsb import <file> [--db <file> | --server <url> --token <token>] [--replace]

Imports a project document (JSON or YAML, as written by avsb export). An
existing project is refused at once unless --replace. The document is then
validated; nothing is written when it has problems. New environments get
fresh SDK keys; the project's keys are printed. Large documents report
progress on stderr (in place on a terminal).

Options:
  --db <file>        write straight into a SQLite database (default ./avsb.db)
  --server <url>     import through a running server's admin API instead
  --token <token>    admin token for --server (default AVSB_ADMIN_TOKEN)
  --replace          overwrite the project if it exists
  -h, --help         show this help
`,
  export: `Usage: avsb export <project> [--format json|yaml] [--out <file>] [--db <file> | --server <url> --token <token>]

Writes a whole project (environments, flags, segments; never SDK keys) as a
project document, to stdout or a file.

Options:
  --format json|yaml  output format (default: from --out's extension, else json)
  --out <file>        write to a file instead of stdout
  --db <file>         read a SQLite database (default ./avsb.db)
  --server <url>      read through a running server's admin API instead
  --token <token>     admin token for --server (default AVSB_ADMIN_TOKEN)
  -h, --help          show this help
`,
};
