/**
 * The command line of a one-tree script (`alloc-sites.js`, `fresh-request.js`): `--name value` options and one tree
 * (a path, or `hand` for the hand-written row). Throws `usage` when there is not exactly one tree.
 */
export function parseTreeArgs(argv: readonly string[], usage: string): { tree: string; options: Map<string, string> } {
  const options = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) options.set(a.slice(2), argv[++i] ?? '');
    else rest.push(a);
  }
  if (rest.length !== 1) throw new Error(usage);
  return { tree: rest[0]!, options };
}
