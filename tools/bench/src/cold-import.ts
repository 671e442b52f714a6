// `fresh-paired.ts --mode import`'s child: one `import()` of a package by its bare name, the first thing a fresh
// process does, as an application's entry does it. Nothing is imported before it (this file has no import of its
// own), so the first package resolution of the process is the measured one (≈ 0.8 ms of it, Node's own set-up of
// package resolution, whatever the package: tools/bench/earlier-measurements.md, "@avsb/node's import after the
// sixteenth session's pass"). Rows: `engine` (`@avsb/engine/node`, which hands on the main entry's exports; the
// evaluator needs the same entry) and `node` (`@avsb/node`).
// Usage: node dist/cold-import.js engine|node; prints one `IMPORT {json}` line: `cpu` (the process's threads, V8's
// background compilers included) and `wall`, ms.
const SPECIFIERS: Record<string, string> = { engine: '@avsb/engine/node', node: '@avsb/node' };

const specifier = SPECIFIERS[process.argv[2] ?? 'engine'];
if (specifier === undefined) throw new Error(`cold-import: row engine or node, not ${process.argv[2]}`);
const cpuStart = process.cpuUsage();
const wallStart = process.hrtime.bigint();
await import(specifier);
const wall = Number(process.hrtime.bigint() - wallStart) / 1e6;
const cpu = process.cpuUsage(cpuStart);
process.stdout.write(`IMPORT ${JSON.stringify({ cpu: (cpu.user + cpu.system) / 1000, wall })}\n`);
