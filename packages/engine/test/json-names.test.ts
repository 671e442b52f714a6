import { expect, it } from 'vitest';
import { AvsbEngine } from '../src/index';
import { wasmModule } from './support/wasm';

// The engine compares member names in place (json/value.ts) instead of
// decoding each one: escaped names and duplicates must read as JSON.parse reads them.

it.each(['release', 'debug'] as const)('reads escaped member names and lets the last duplicate win, as JSON.parse does (%s)', (binary) => {
  const e = AvsbEngine.createSync(wasmModule(binary));
  const text =
    '{"schema\\u0056ersion":1,"flags":[],"fl\\u0061gs":[{"\\u006bey":"f","on":false,"on":true,"variations":[1,2],' +
    '"rules":[{"clauses":[{"attribute":"pl\\u0061n","op":"in","values":["pro"]}],"serve":{"variation":0}}],"fall\\/through":{"variation":0},"fallthrough":{"variation":1}}]}';
  expect(e.load(text)).toMatchObject({ ok: true, flagCount: 1, warningCount: 0 });
  expect(e.evaluate(e.registerContext({ key: 'u' }), 'f').value).toBe(2);
  expect(e.evaluate(e.registerContext({ key: 'u', plan: 'pro' }), 'f').value).toBe(1);
  // a name that only looks like a known one after its escapes are removed is not that member
  expect(e.load('{"schemaVersion":1,"flags":[{"key":"g","on":true,"variations":[1],"fallthrough":{"variation":0},"ke\\\\y":"x"}]}')).toMatchObject({ ok: true, flagCount: 1 });
  expect(e.load('{"schemaVersion":1,"flags":[{"k\\u00e9y":"g","on":true,"variations":[1],"fallthrough":{"variation":0}}]}')).toMatchObject({ ok: false });
});
