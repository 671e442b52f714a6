import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { expect, it } from 'vitest';
import { AvsbEngine } from '../src/index';
import { bigDatafile, guideDatafile } from './support/fixtures';
import { wasmModule } from './support/wasm';

const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../protocol/schemas/datafile.schema.json', import.meta.url)), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
const casesDir = fileURLToPath(new URL('../../../tools/conformance/cases/', import.meta.url));

// Every datafile the engine accepts in the conformance vectors must satisfy the
// published schema, so tools that validate with the schema never reject a
// datafile the engine would serve.
const datafiles: [string, unknown][] = [
  ['guide fixture', guideDatafile],
  ['1,000-flag fixture', bigDatafile(1000)],
  ...readdirSync(casesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(casesDir + f, 'utf8')).datafile] as [string, unknown])
    .filter(([, d]) => d !== undefined),
];

it.each(datafiles)('the schema accepts the %s datafile, and so does the engine', (_name, datafile) => {
  expect(validate(datafile), JSON.stringify(validate.errors)).toBe(true);
  expect(AvsbEngine.createSync(wasmModule('release')).load(datafile as object)).toMatchObject({ ok: true });
});

it('the schema rejects what the engine rejects for shape', () => {
  const bad = structuredClone(guideDatafile) as any;
  bad.flags[0].rules[0].clauses[0].op = 'greather';
  expect(validate(bad)).toBe(false);
  delete bad.flags[0].rules[0].clauses[0].op;
  bad.flags[0].fallthrough = { variation: 0, rollout: { variations: [] } };
  expect(validate(bad)).toBe(false);
});
