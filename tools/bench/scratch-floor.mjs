// the floor of bytes -> first evaluation on avsb-evaluator.wasm: raw exports, no host JS
const fs = process.getBuiltinModule('node:fs');
const doc = JSON.parse(fs.readFileSync(process.env.AVSB_BENCH_COMPILED_DIR + '/bench.json', 'utf8'));
const bin = Uint8Array.from(doc.compiled, (c) => c.charCodeAt(0) & 0xff);
const ctx = new TextEncoder().encode(JSON.stringify({ kind: 'user', key: 'user-1', country: 'NO', plan: 'pro', age: 30, email: 'a@b.c', appVersion: '1.2.3' }));
const path = '/work/wt-cold/packages/engine/dist/avsb-evaluator.wasm';
const T = [['s', process.hrtime.bigint()]]; const mark = (n) => T.push([n, process.hrtime.bigint()]);
const bytes = fs.readFileSync(path); mark('read');
const mod = new WebAssembly.Module(bytes); mark('compile');
const x = new WebAssembly.Instance(mod, {}).exports; mark('instantiate');
let at = x.avsb_input(bin.length); new Uint8Array(x.memory.buffer, at, bin.length).set(bin);
const st = x.avsb_load_compiled(bin.length); mark('load');
at = x.avsb_input(ctx.length); new Uint8Array(x.memory.buffer, at, ctx.length).set(ctx);
const h = x.avsb_ctx_create(ctx.length); mark('context');
const r = x.avsb_eval(h, 0); mark('evaluate');
const out = {}; for (let i = 1; i < T.length; i++) out[T[i][0]] = +(Number(T[i][1] - T[i-1][1]) / 1e6).toFixed(3);
out.total = +(Number(T.at(-1)[1] - T[0][1]) / 1e6).toFixed(3);
console.log(JSON.stringify({ st, h: h > 0, r, ...out }));
