// What a web page bundles to evaluate flags (bundle-size.test.ts measures it):
// PageEngine from the full engine's .wasm asset, one JSON datafile, one context, one evaluation.
import { PageEngine, loadDatafile } from '@avsb/engine';

const engine = await PageEngine.create(fetch('/avsb-engine.wasm'));
loadDatafile(engine, await (await fetch('/datafile.json')).text());
const handle = engine.registerContext({ kind: 'user', key: 'u_1' });
document.title = String(engine.evaluate(handle, 'checkout-v2').value);
