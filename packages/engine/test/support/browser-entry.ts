// What a web page bundles to evaluate flags (bundle-size.test.ts measures it):
// the engine from the .wasm asset, one datafile, one context, one evaluation.
import { AvsbEngine } from '@avsb/engine';

const engine = await AvsbEngine.create(fetch('/avsb-engine.wasm'));
engine.load(await (await fetch('/datafile.json')).text());
const handle = engine.registerContext({ kind: 'user', key: 'u_1' });
document.title = String(engine.evaluate(handle, 'checkout-v2').value);
