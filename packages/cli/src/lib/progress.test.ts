import { expect, it } from 'vitest';
import { Progress, formatProgress } from './progress';

function stream(isTTY: boolean) {
  const out: string[] = [];
  return { out, isTTY, write: (text: string) => out.push(text) };
}

it('formats a count with its noun', () => {
  expect(formatProgress('validated', 120, 300, 'flag')).toBe('validated 120/300 flags');
  expect(formatProgress('validated', 1, 1, 'flag')).toBe('validated 1/1 flag');
});

it('writes plain lines, at most one per interval and always the last, when stderr is not a terminal', () => {
  let now = 0;
  const s = stream(false);
  const progress = new Progress(s, { now: () => now });
  for (let done = 1; done <= 10; done++) {
    now += 100;
    progress.update(formatProgress('validated', done, 10, 'flag'), done === 10);
  }
  progress.end();
  expect(s.out).toEqual(['validated 1/10 flags\n', 'validated 4/10 flags\n', 'validated 7/10 flags\n', 'validated 10/10 flags\n']);
  expect(s.out.join('')).not.toMatch(/\r|\u001b/);
});

it('rewrites one line in place on a terminal and ends it with the last update', () => {
  let now = 0;
  const s = stream(true);
  const progress = new Progress(s, { now: () => now, intervalMs: 0 });
  progress.update('validated 1/3 flags');
  now += 1;
  progress.update('validated 2/3 flags');
  progress.update('validated 3/3 flags', true);
  progress.end();
  expect(s.out).toEqual(['\r\u001b[2Kvalidated 1/3 flags', '\r\u001b[2Kvalidated 2/3 flags', '\r\u001b[2Kvalidated 3/3 flags\n']);
});

it('ends an open terminal line before other output', () => {
  const s = stream(true);
  const progress = new Progress(s, { now: () => 0 });
  progress.update('validated 1/3 flags');
  progress.end();
  progress.end();
  expect(s.out).toEqual(['\r\u001b[2Kvalidated 1/3 flags', '\n']);
});
