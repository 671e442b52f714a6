// What a web page on the evaluator bundles (bundle-size.test.ts measures it):
// avsb-evaluator.wasm from its asset, one compiled datafile, one context, one evaluation.
import { AvsbEngine, loadCompiled } from '@avsb/engine';

const engine = await AvsbEngine.create(fetch('/avsb-evaluator.wasm'));
loadCompiled(engine, await (await fetch('/datafile.json')).text());
const handle = engine.registerContext({ kind: 'user', key: 'u_1' });
document.title = String(engine.evaluate(handle, 'checkout-v2').value);
