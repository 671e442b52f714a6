import { get } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../test/support/harness';
import { sdk, startTestServer } from '../../test/support/harness';
import { SseClient } from '../../test/support/sse-client';

const ENV = '/projects/shop/environments/production';
const EVENTS = 30_000; // 30 pages of 1,000 events of about 1 KB
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ streamStallMs: 1500 });
  const keys = await t.keys();
  const blob = 'p'.repeat(1000);
  for (let b = 0; b < EVENTS / 500; b++) {
    const events = Array.from({ length: 500 }, (_, i) => ({
      kind: 'custom', time: 1764072000000, contextKeys: { user: `u_${b}_${i}` }, key: 'purchase', properties: { blob },
    }));
    const res = await sdk(`${t.url}/sdk/v1/events`, keys.serverKey, { method: 'POST', body: JSON.stringify({ batchId: `replay-${b}`, events }) });
    expect(res.status).toBe(202);
  }
}, 120_000);
afterAll(() => t.close());

/** A live event stream replayed from the first event, whose reader stops reading at once. */
function pausedReplay(): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${t.server.adminToken}` };
    get(`${t.url}/api/v1${ENV}/events/stream?after=0`, { headers }, (res) => {
      res.pause();
      resolve(res);
    }).once('error', reject);
  });
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('live event stream backpressure', () => {
  it('reads no further for 5 paused replays than they take, holds little for them, and drops them', async () => {
    const before = t.server.metrics();
    const readers = await Promise.all(Array.from({ length: 5 }, () => pausedReplay()));
    let maxQueued = 0;
    await waitFor(() => {
      const now = t.server.metrics();
      maxQueued = Math.max(maxQueued, now.eventStreamQueuedBytes);
      return now.eventStreamSlowDisconnects - before.eventStreamSlowDisconnects === 5;
    }, 20_000, 'the paused readers to be dropped');
    // about one page (1 MB) waits for each of them, not the 30 a replay holds
    expect(maxQueued).toBeLessThan(5 * 3 * 1024 * 1024);
    const after = t.server.metrics();
    // each reader stopped where its socket filled up, far short of the 30 pages a full replay reads
    expect(after.eventStreamPagesRead - before.eventStreamPagesRead).toBeLessThan(5 * 20);
    expect(after.eventStreams).toBe(0);
    expect(after.eventStreamQueuedBytes).toBe(0);
    // once dropped, nothing more is read for them
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.server.metrics().eventStreamPagesRead).toBe(after.eventStreamPagesRead);
    for (const res of readers) res.destroy();
  }, 60_000);

  it('stops a replay when its client leaves', async () => {
    const before = t.server.metrics().eventStreamPagesRead;
    const res = await pausedReplay();
    await waitFor(() => t.server.metrics().eventStreamQueuedBytes > 0, 10_000, 'the replay to fill the socket');
    res.destroy();
    await waitFor(() => t.server.metrics().eventStreams === 0, 10_000, 'the stream to close');
    const read = t.server.metrics().eventStreamPagesRead;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.server.metrics().eventStreamPagesRead).toBe(read);
    expect(read - before).toBeLessThan(30);
  }, 60_000);

  it('replays everything to a reader that keeps up, answering other requests between pages', async () => {
    const before = t.server.metrics().eventStreamPagesRead;
    const stream = await SseClient.open(`${t.url}/api/v1${ENV}/events/stream?after=0`, { authorization: `Bearer ${t.server.adminToken}` });
    let replayed = 0;
    let counted = 0;
    const count = () => {
      for (; counted < stream.events.length; counted++) replayed += (JSON.parse(stream.events[counted]!.data) as unknown[]).length;
      return replayed >= EVENTS;
    };
    // how far the server's replay had got each time another request was answered
    const progress: number[] = [];
    const poll = (async () => {
      while (t.server.metrics().eventStreamPagesRead - before < EVENTS / 1000) {
        const res = await t.admin('GET', '/projects');
        expect(res.status).toBe(200);
        progress.push(t.server.metrics().eventStreamPagesRead - before);
      }
    })();
    await stream.until(count, 60_000, 'the whole replay');
    await poll;
    expect(replayed).toBe(EVENTS);
    expect(progress.some((pages) => pages > 0 && pages < EVENTS / 1000)).toBe(true);
    stream.close();
  }, 120_000);
});
