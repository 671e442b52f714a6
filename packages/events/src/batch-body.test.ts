import fc from 'fast-check';
import { expect, it } from 'vitest';
import { utf8Length } from './batch-body';

// The size that decides a beacon, keepalive and the 1 MiB split, against the encoder that sends the bytes (lone
// surrogates included: they go out as U+FFFD, 3 bytes).
it('measures every string as the UTF-8 encoder sends it', () => {
  const encoder = new TextEncoder();
  const units = fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.integer({ min: 0, max: 0x7f }));
  fc.assert(
    fc.property(fc.array(units, { maxLength: 40 }), (codes) => {
      const text = String.fromCharCode(...codes);
      expect(utf8Length(text)).toBe(encoder.encode(text).length);
    }),
    { numRuns: 5_000 },
  );
  for (const text of ['', 'a', 'é', '€', '😀', '\ud83d', '\ude00', '\ude00\ud83d', 'a\ud83d\ude00b']) expect(utf8Length(text)).toBe(encoder.encode(text).length);
});
