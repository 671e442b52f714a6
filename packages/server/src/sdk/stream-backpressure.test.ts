import { get } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { TestServer } from '../../test/support/harness';
import { booleanFlag, startTestServer } from '../../test/support/harness';
import { SseClient } from '../../test/support/sse-client';

const ENV = '/projects/shop/environments/production';
const BIG = 1024 * 1024;

/** A stream whose reader stops reading at once: the response and, through it, the socket are paused. */
function pausedStream(url: string, key: string): Promise<{ res: IncomingMessage; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = get(`${url}/sdk/v1/stream`, { headers: { authorization: key } }, (res) => {
      res.pause();
      const closed = new Promise<void>((done) => {
        res.once('close', () => done());
        res.once('error', () => done());
      });
      resolve({ res, closed });
    });
    req.once('error', reject);
  });
}

/** Reads a paused stream's events from now on (after `resume()`). */
function readEvents(res: IncomingMessage): { events: { event: string; data: string }[] } {
  const out = { events: [] as { event: string; data: string }[] };
  let buffer = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data !== undefined) out.events.push({ event, data });
    }
  });
  res.resume();
  return out;
}

async function toggleBigFlag(t: TestServer, times: number, each: () => void): Promise<number> {
  let revision = 0;
  for (let i = 0; i < times; i++) {
    const res = await t.admin('PATCH', `${ENV}/flags/big`, { on: i % 2 === 1 });
    expect(res.status).toBe(200);
    revision = Number(res.headers.get('etag')!.replaceAll('"', ''));
    each();
  }
  return revision;
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('SDK stream backpressure', () => {
  it('keeps what 20 paused readers hold bounded while a 1 MB flag is toggled 60 times, then drops them', async () => {
    const t = await startTestServer({ streamStallMs: 1500 });
    try {
      const keys = await t.keys();
      expect((await t.admin('PUT', `${ENV}/flags/big`, booleanFlag('big', { variations: ['x'.repeat(BIG), 'y'] }))).status).toBe(201);
      const paused = await Promise.all(Array.from({ length: 20 }, () => pausedStream(t.url, keys.serverKey)));
      const reader = await SseClient.open(`${t.url}/sdk/v1/stream`, { authorization: keys.serverKey });
      await reader.next(5000);
      let maxQueued = 0;
      const latest = await toggleBigFlag(t, 60, () => {
        maxQueued = Math.max(maxQueued, t.server.metrics().sdkStreamQueuedBytes);
      });
      // without backpressure every paused reader would hold a copy of each of the 60 messages
      expect(maxQueued).toBeLessThan(21 * 3 * BIG);
      await waitFor(() => t.server.metrics().sdkStreamSlowDisconnects === 20, 20_000, 'the paused readers to be dropped');
      expect(t.server.metrics().sdkStreams).toBe(1);
      expect(t.server.metrics().sdkStreamQueuedBytes).toBeLessThan(3 * BIG);
      // the reader kept up and ends on the latest revision
      await reader.until(() => {
        const last = reader.events.at(-1)!;
        const data = JSON.parse(last.data);
        return (data.revision ?? data.datafile?.revision) === latest;
      }, 20_000, 'the latest revision');
      reader.close();
      // a dropped client that reconnects gets the whole latest datafile
      for (const { res } of paused) res.destroy();
      const again = await SseClient.open(`${t.url}/sdk/v1/stream`, { authorization: keys.serverKey });
      const put = await again.next(5000);
      expect(put.event).toBe('put');
      expect(JSON.parse(put.data).datafile.revision).toBe(latest);
      again.close();
    } finally {
      await t.close();
    }
  }, 120_000);

  it('coalesces what a paused reader missed into the latest datafile when it reads again', async () => {
    const t = await startTestServer({ streamStallMs: 120_000 });
    try {
      const keys = await t.keys();
      expect((await t.admin('PUT', `${ENV}/flags/big`, booleanFlag('big', { variations: ['x'.repeat(BIG), 'y'] }))).status).toBe(201);
      const { res } = await pausedStream(t.url, keys.serverKey);
      const toggles = 40;
      let maxQueued = 0;
      const latest = await toggleBigFlag(t, toggles, () => {
        maxQueued = Math.max(maxQueued, t.server.metrics().sdkStreamQueuedBytes);
      });
      expect(maxQueued).toBeLessThan(3 * BIG);
      const seen = readEvents(res);
      await waitFor(() => {
        const last = seen.events.at(-1);
        return last !== undefined && last.event === 'put' && JSON.parse(last.data).datafile.revision === latest;
      }, 30_000, 'a put of the latest datafile');
      // what the kernel took before the reader paused arrives as sent; the rest is one put, not a backlog
      expect(seen.events.length).toBeLessThan(toggles);
      const last = JSON.parse(seen.events.at(-1)!.data).datafile;
      expect(last.flags.find((f: { key: string }) => f.key === 'big').on).toBe((toggles - 1) % 2 === 1);
      res.destroy();
    } finally {
      await t.close();
    }
  }, 120_000);

  it('keeps a slow reader that keeps reading, however long a big datafile takes', async () => {
    // the kernel says a socket is writable again only once a good part of its buffer (MBs) has gone, so the bound must cover that
    const t = await startTestServer({ streamStallMs: 10_000 });
    try {
      const keys = await t.keys();
      const size = 12 * BIG; // several times what the kernel buffers on loopback
      expect((await t.admin('PUT', `${ENV}/flags/big`, booleanFlag('big', { variations: ['x'.repeat(size), 'y'] }))).status).toBe(201);
      const { res } = await pausedStream(t.url, keys.serverKey);
      // read one chunk every 20 ms: far slower than loopback, yet never 10 s without reading
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        res.pause();
        setTimeout(() => res.resume(), 20);
      });
      res.resume();
      await waitFor(() => received > size, 60_000, 'the whole put');
      expect(t.server.metrics().sdkStreamSlowDisconnects).toBe(0);
      expect(t.server.metrics().sdkStreams).toBe(1);
      res.destroy();
    } finally {
      await t.close();
    }
  }, 120_000);
});
