const fs = process.getBuiltinModule('node:fs');
const url = new URL('file:///work/wt-cold/packages/engine/dist/avsb-evaluator.wasm');
const mode = process.argv[2];
const t = process.hrtime.bigint();
let b;
if (mode === 'url') b = fs.readFileSync(url);
else if (mode === 'href') b = fs.readFileSync(new URL(url.href));
else if (mode === 'path') b = fs.readFileSync(url.pathname);
else if (mode === 'fd') { const fd = fs.openSync(url, 'r'); const n = fs.fstatSync(fd).size; b = new Uint8Array(n); fs.readSync(fd, b, 0, n, 0); fs.closeSync(fd); }
const d = Number(process.hrtime.bigint() - t) / 1e6;
console.log(mode, d.toFixed(3), b.length);
