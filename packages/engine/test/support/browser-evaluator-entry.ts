// What a web page on the evaluator bundles (bundle-size.test.ts measures it):
// PageEngine from avsb-evaluator.wasm's asset, one compiled datafile, one context, one evaluation.
import { PageEngine, loadCompiled } from '@avsb/engine';

const engine = await PageEngine.create(fetch('/avsb-evaluator.wasm'));
loadCompiled(engine, await (await fetch('/datafile.json')).text());
const handle = engine.registerContext({ kind: 'user', key: 'u_1' });
document.title = String(engine.evaluate(handle, 'checkout-v2').value);
