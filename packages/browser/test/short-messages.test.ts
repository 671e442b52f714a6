// The build's production message texts (tools/build/short-messages.ts), on a fixture written as tsup writes a package's
// dist: which texts become codes (message positions) and which stay (compared, sent, keys, other calls), what the short
// form keeps (the values, in order), and that the rewritten file still runs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readCatalogue } from '../../../tools/build/message-catalogue';
import { shortenMessages, writeShortMessages } from '../../../tools/build/short-messages';

const FIXTURE = `
var HELP = "pass the environment's client-side key as clientKey";
var MEDIA_TYPE = "application/vnd.avsb.compiled-datafile; v=1";
var REASON = "the context is not an object";
class AvsbConfigError extends Error {}
function check(input) {
  if (typeof input !== "object") return REASON;
  return null;
}
function problemOf(value) {
  if (typeof value !== "number") return \`value: must be a finite number, not \${typeof value}\`;
  return undefined;
}
function describe(reason) {
  return reason === REASON ? "the context must be an object such as { key: 'u_1' }" : reason;
}
function fail(logger, what) {
  logger.warn(what);
}
export function run(logger, input, send) {
  const reason = check(input);
  if (reason === "the context is not an object") send({ why: "the context is not an object" });
  const problem = problemOf(input);
  if (problem !== undefined) logger.error(problem);
  fail(logger, \`input "\${input}" was refused; nothing was sent\`);
  logger[problem ? "debug" : "warn"](\`delivery failed (\${1 + 1} attempts); retrying in \${5} ms\`);
  send({ headers: { "Content-Type": "application/json; charset=utf-8", Accept: \`\${MEDIA_TYPE}, application/json;q=0.5\` } });
  send({ kind: "custom", text: "a sentence that is sent to the server" });
  const result = { ok: false, error: "datafile: the engine faulted while loading it" };
  send(result, describe(reason));
  throw new AvsbConfigError(\`createClient: that is a server key (srv-…). \${HELP}.\`);
}
`;

interface Call {
  level: string;
  text: string;
}

function execute(code: string): { calls: Call[]; sent: unknown[]; thrown: string } {
  const calls: Call[] = [];
  const sent: unknown[] = [];
  const logger = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((level) => [level, (text: string) => calls.push({ level, text })]));
  const run = new Function(`${code.replace('export function run', 'function run')}; return run;`)() as (l: unknown, i: unknown, s: (...a: unknown[]) => void) => void;
  try {
    run(logger, 'checkout-v2', (...args) => sent.push(...args));
  } catch (e) {
    return { calls, sent, thrown: `${(e as Error).constructor.name}: ${(e as Error).message}` };
  }
  return { calls, sent, thrown: '' };
}

it('replaces the texts in message positions by a code and their values, and leaves every text that is compared or sent', () => {
  const { code, messages } = shortenMessages(FIXTURE, 'T');
  const full = execute(FIXTURE);
  const short = execute(code);
  const codeOf = (start: string): string => messages.find((m) => m.text.startsWith(start))!.code;
  // a logger's argument, through a variable and through a function's parameter; a computed logger method
  expect(short.calls).toEqual([
    { level: 'error', text: `avsb ${codeOf('value: must be')}: string` },
    { level: 'warn', text: `avsb ${codeOf('input "')}: checkout-v2` },
    { level: 'debug', text: `avsb ${codeOf('delivery failed')}: 2, 5` },
  ]);
  // an error's message, with a constant that is only ever part of messages
  expect(short.thrown).toBe(`AvsbConfigError: avsb ${codeOf('createClient:')}: avsb ${codeOf("pass the environment's")}`);
  // compared (REASON), sent (headers, an event's field), a function's result that is sent: unchanged
  expect(short.sent).toEqual(full.sent.map((value) => (typeof value === 'object' && value !== null && 'error' in value ? { ...value, error: `avsb ${codeOf('datafile: the engine')}` } : value)));
  expect(code).toContain('"application/vnd.avsb.compiled-datafile; v=1"');
  expect(code).toContain('"the context is not an object"');
  expect(code).toContain("\"the context must be an object such as { key: 'u_1' }\"");
  expect(messages.map((m) => m.text).sort()).toEqual(
    [
      'createClient: that is a server key (srv-…). {1}.',
      'datafile: the engine faulted while loading it',
      'delivery failed ({1} attempts); retrying in {2} ms',
      'input "{1}" was refused; nothing was sent',
      "pass the environment's client-side key as clientKey",
      'value: must be a finite number, not {1}',
    ].sort(),
  );
  // the full texts are the catalogue's: each value put back in its place gives the development build's text
  expect(full.calls.map((c) => c.text)).toEqual(['value: must be a finite number, not string', 'input "checkout-v2" was refused; nothing was sent', 'delivery failed (2 attempts); retrying in 5 ms']);
});

it('keeps every line where it was, so the source map of the full build still finds each line', () => {
  const multiline = 'function f(logger, n) {\n  logger.warn(`the first line of a message\nand its second line, with ${n}`);\n  return n;\n}\n';
  const { code } = shortenMessages(multiline, 'T');
  expect(code.split('\n')).toHaveLength(multiline.split('\n').length);
  expect(code.split('\n')[3]).toBe('  return n;');
});

it('writes (void 0) for each call of developmentOnly, lines kept, so a bundler leaves out what only its argument reaches', () => {
  const source = [
    'function developmentOnly(value) {\n  return value;\n}',
    'function nearest(text, key) {\n  return `${text}; did you mean ${key}?`;\n}',
    'export function miss(text, key) {\n  return developmentOnly2(\n    nearest)?.(text, key) ?? developmentOnly(nearest)?.(text, key) ?? text;\n}',
    'var developmentOnly2 = developmentOnly;',
  ].join('\n');
  const { code } = shortenMessages(source, 'T');
  expect(code.split('\n')).toHaveLength(source.split('\n').length);
  expect(code).toContain('return (void 0)\n?.(text, key) ?? (void 0)?.(text, key) ?? text;');
  const run = (js: string) => new Function(`${js.replace('export function', 'function')}; return miss;`)() as (t: string, k: string) => string;
  expect(run(source)('flag "x" is missing', 'y')).toBe('flag "x" is missing; did you mean y?');
  expect(run(code)('flag "x" is missing', 'y')).toBe('flag "x" is missing');
});

it('derives each code from the static text alone: the same text has the same code in any file, with any values', () => {
  const a = shortenMessages('function f(l, x) { l.warn(`flag "${x}" served a ${x} where a ${x} was asked for`); }', 'C');
  const b = shortenMessages('function g(log, y) { log.error(`flag "${y.key}" served a ${y.a} where a ${y.b} was asked for`); l.warn("another message, added later"); }', 'C');
  expect(a.messages[0]!.code).toMatch(/^C[0-9A-HJKMNP-TV-Z]{3}$/);
  expect(b.messages.map((m) => m.code)).toContain(a.messages[0]!.code);
});

it('refuses two different texts with one code', () => {
  // the codes are 15 bits of a hash: find two texts that share one
  const seen = new Map<string, string>();
  let pair: [string, string] | undefined;
  for (let i = 0; pair === undefined; i++) {
    const text = `message number ${i} of many`;
    const { code } = shortenMessages(`l.warn(${JSON.stringify(text)});`, 'T').messages[0]!;
    const other = seen.get(code);
    if (other !== undefined) pair = [other, text];
    seen.set(code, text);
  }
  expect(() => shortenMessages(`l.warn(${JSON.stringify(pair[0])}); l.warn(${JSON.stringify(pair[1])});`, 'T')).toThrow(/two messages have the code T/);
});

it('writes each entry’s short-text twin and one catalogue with the codes of the packages it depends on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-short-messages-'));
  try {
    const source = 'export function f(l, x) { l.warn(`a | b and a \\\\ backslash, with ${x}`); }\n';
    writeFileSync(join(dir, 'index.js'), source);
    writeFileSync(join(dir, 'index.cjs'), source.replace('export ', ''));
    writeFileSync(join(dir, 'dependency.md'), '| D000 | @avsb/dependency | its own message, {1} \\| piped |\n');
    const rows = writeShortMessages({ dist: dir, packageName: '@avsb/fixture', prefix: 'T', entries: ['index', 'missing'], dependencies: [join(dir, 'dependency.md'), join(dir, 'absent.md')] });
    const code = rows.find((row) => row.packageName === '@avsb/fixture')!.code;
    expect(readFileSync(join(dir, 'index.browser.js'), 'utf8')).toBe(`export function f(l, x) { l.warn(\`avsb ${code}: \${x}\`); }\n`);
    expect(readFileSync(join(dir, 'index.browser.cjs'), 'utf8')).toBe(`function f(l, x) { l.warn(\`avsb ${code}: \${x}\`); }\n`);
    expect(readCatalogue(readFileSync(join(dir, 'MESSAGES.md'), 'utf8'))).toEqual([
      { code: 'D000', packageName: '@avsb/dependency', text: 'its own message, {1} | piped' },
      { code, packageName: '@avsb/fixture', text: 'a | b and a \\ backslash, with {1}' },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
