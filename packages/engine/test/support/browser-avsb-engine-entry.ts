// A web page on AvsbEngine, the server's class (bundle-size.test.ts measures it):
// what a page that has not moved to PageEngine bundles (the JSON `load` as a
// method, the context encoder's hooks, `flagKeys` and the server metrics).
import { AvsbEngine } from '@avsb/engine';

const engine = await AvsbEngine.create(fetch('/avsb-engine.wasm'));
engine.load(await (await fetch('/datafile.json')).text());
const handle = engine.registerContext({ kind: 'user', key: 'u_1' });
document.title = String(engine.evaluate(handle, 'checkout-v2').value);
