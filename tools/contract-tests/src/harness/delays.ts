import type { StreamConnection } from './stream-connection';

/**
 * The reconnection delays the SDK waited: from the end of each connection
 * to the arrival of the next one, in milliseconds.
 */
export function reconnectDelays(streams: readonly StreamConnection[]): number[] {
  const delays: number[] = [];
  for (let i = 1; i < streams.length; i++) {
    const ended = streams[i - 1]!.endedAt;
    if (ended === null) throw new Error(`stream ${i - 1} has not ended but stream ${i} arrived`);
    delays.push(streams[i]!.at - ended);
  }
  return delays;
}

/**
 * The delay ceilings the protocol asks for: `initial × 2^n`, capped. With
 * jitter that keeps at least half, the n-th delay lies in
 * [ceiling / 2, ceiling].
 */
export function ceilings(count: number, initialMs: number, maxMs: number): number[] {
  return Array.from({ length: count }, (_, n) => Math.min(maxMs, initialMs * 2 ** n));
}

/**
 * Which delays fall outside [ceiling / 2, ceiling + slack]. `slack` covers
 * the time the SDK takes to notice a closed connection and open the next on
 * a loaded machine; the lower bound has none, since every measured delay
 * includes that time.
 */
export function outOfBounds(delays: readonly number[], expected: readonly number[], slackMs: number): string[] {
  const problems: string[] = [];
  delays.forEach((delay, n) => {
    const ceiling = expected[n]!;
    if (delay < ceiling / 2 - 2 || delay > ceiling + slackMs) {
      problems.push(`delay ${n + 1}: ${Math.round(delay)} ms, not in [${ceiling / 2}, ${ceiling}] ms`);
    }
  });
  return problems;
}
