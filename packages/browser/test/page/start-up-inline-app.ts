// The start-up page of @avsb/browser/inline (the .wasm inside the bundle), with the step-by-step breakdown of what the
// client does before its first read (window.breakdown); see start-up.ts.
import { createClient } from '@avsb/browser/inline';
import { AvsbEngine } from '@avsb/engine';
import { engineWasmBytes } from '@avsb/engine/wasm-inline';
import { measureStartUp } from './start-up';

/** Each step of a first read done by hand, in ms: how the time of `createClient` → first read divides. */
async function breakdown(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    out[name] = now - t;
    t = now;
  };
  const response = await fetch('/avsb-engine.wasm');
  lap('fetch (headers)');
  const bytes = await response.arrayBuffer();
  lap('fetch (body)');
  const module = await WebAssembly.compile(bytes);
  lap('compile');
  await WebAssembly.compileStreaming(fetch('/avsb-engine.wasm'));
  lap('fetch + compileStreaming');
  const inlined = engineWasmBytes();
  // engineWasmBytes keeps what the page's client decoded: the cold decode is the time before the last reload's compile
  lap('inline: bytes, decoded');
  await WebAssembly.compile(inlined as BufferSource);
  lap('inline: compile');
  const engine = await AvsbEngine.create(module);
  lap('instantiate');
  const name = Object.keys(localStorage).find((key) => key.startsWith('avsb:datafile:'))!;
  const text = localStorage.getItem(name)!;
  lap('cache: getItem');
  const entry = JSON.parse(text) as { datafile: object };
  lap('cache: JSON.parse');
  const datafileText = JSON.stringify(entry.datafile);
  const copy = JSON.parse(datafileText) as object;
  lap('cache: stringify + parse again');
  engine.load(datafileText, copy);
  lap('engine.load');
  const handle = engine.registerContext({ kind: 'user', key: 'u_7' });
  lap('registerContext');
  engine.evaluate(handle, 'ui-theme');
  lap('evaluate');
  return out;
}

(window as unknown as { breakdown: typeof breakdown }).breakdown = breakdown;
measureStartUp(createClient);
document.documentElement.dataset.loaded = 'true';
