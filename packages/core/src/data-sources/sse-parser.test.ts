import fc from 'fast-check';
import { expect, it } from 'vitest';
import { MAX_SSE_EVENT_CHARS, SseParser } from './sse-parser';

const enc = (s: string) => new TextEncoder().encode(s);

function parse(chunks: Uint8Array[]): [string, string][] {
  const out: [string, string][] = [];
  const parser = new SseParser((event, data) => out.push([event, data]));
  for (const c of chunks) parser.push(c);
  return out;
}

const STREAM =
  ': heartbeat\n\nevent: put\ndata: {"datafile":{"flags":[]}}\n\n' +
  'event: patch\r\ndata: {"revision":2,\r\ndata: "key":"ü-🎉"}\r\n\r\n' +
  ': heartbeat\r\rdata:no-space\r\r' +
  'event: delete\ndata: {"revision":3}\n\n';

const EXPECTED: [string, string][] = [
  ['put', '{"datafile":{"flags":[]}}'],
  ['patch', '{"revision":2,\n"key":"ü-🎉"}'],
  ['message', 'no-space'],
  ['delete', '{"revision":3}'],
];

it('parses events, multi-line data, comments and every line ending', () => {
  expect(parse([enc(STREAM)])).toEqual(EXPECTED);
});

it('gives the same events however the bytes are split into chunks', () => {
  const bytes = enc(STREAM);
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }), (cuts) => {
      const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
      const chunks = points.slice(1).map((end, i) => bytes.slice(points[i], end));
      expect(parse(chunks)).toEqual(EXPECTED);
    }),
  );
});

it('ignores an event without data and keeps a trailing partial event until it ends', () => {
  const out: string[] = [];
  const parser = new SseParser((_e, d) => out.push(d));
  parser.push(enc('event: put\n\nevent: put\ndata: x'));
  expect(out).toEqual([]);
  parser.push(enc('yz\n\n'));
  expect(out).toEqual(['xyz']);
});

it('decodes invalid UTF-8 as replacement characters instead of failing', () => {
  const out: string[] = [];
  new SseParser((_e, d) => out.push(d)).push(new Uint8Array([0x64, 0x61, 0x74, 0x61, 0x3a, 0xff, 0xc3, 0x41, 0x0a, 0x0a]));
  expect(out).toEqual(['\ufffd\ufffdA']);
});

it('reads a datafile-sized line that comes in thousands of small chunks (the pending text is joined once, not re-split per chunk)', () => {
  // 16 MiB in 4 KiB chunks: re-splitting the pending text at every chunk would scan ~32 G characters and never finish here
  const piece = enc('x'.repeat(4096));
  const out: string[] = [];
  const parser = new SseParser((_e, d) => out.push(d));
  parser.push(enc('event: put\ndata: '));
  for (let i = 0; i < 4096; i++) parser.push(piece);
  parser.push(enc('\n\n'));
  expect(out.length).toBe(1);
  expect(out[0]!.length).toBe(16 * 1024 * 1024);
}, 30_000);

it('refuses an event longer than the largest datafile instead of holding it: push throws, and the stream drops that connection', () => {
  const mib = enc('y'.repeat(1 << 20));
  const parser = new SseParser(() => {});
  parser.push(enc('data: '));
  let pushed = 0;
  expect(() => {
    for (; pushed < 100; pushed++) parser.push(mib);
  }).toThrow(/an event is larger than any datafile \(64 MiB\)/);
  expect(pushed * (1 << 20)).toBeLessThanOrEqual(MAX_SSE_EVENT_CHARS);
  // so does an event of many data lines
  const lines = new SseParser(() => {});
  const line = enc(`data: ${'z'.repeat((1 << 20) - 8)}\n`);
  expect(() => {
    for (let i = 0; i < 100; i++) lines.push(line);
  }).toThrow(/an event is larger than any datafile/);
}, 60_000);
