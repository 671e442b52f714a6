import fc from 'fast-check';
import { expect, it } from 'vitest';
import { SseParser } from './sse-parser';

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
