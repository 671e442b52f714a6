import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { MemoryLogger } from '@avsb/test-support';
import { AvsbServer } from './index';

// `forUser({ key })` without a kind is a `user` context (SPEC.md §2, the
// guide's anonymous contexts): the same flags, reasons and events as
// `{ kind: 'user', key }`. Proven against a real events endpoint on 127.0.0.1.

const DATAFILE = JSON.stringify({
  schemaVersion: 1,
  revision: 2,
  flags: [
    { key: 'targeted', on: true, variations: ['no', 'yes'], targets: [{ contextKind: 'user', values: ['u_1'], variation: 1 }], fallthrough: { variation: 0 } },
    {
      key: 'by-plan',
      on: true,
      variations: [1, 2],
      rules: [{ id: 'pro', clauses: [{ contextKind: 'user', attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } }],
      fallthrough: { variation: 0 },
    },
    {
      key: 'experiment',
      on: true,
      variations: [false, true],
      fallthrough: { rollout: { kind: 'experiment', contextKind: 'user', variations: [{ variation: 0, weight: 0 }, { variation: 1, weight: 100000 }] } },
    },
  ],
});

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of running.splice(0)) await item.close();
});

async function service(): Promise<{ url: string; events: () => any[] }> {
  const batches: { events: any[] }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET' && req.url?.startsWith('/sdk/v1/datafile')) {
        res.writeHead(200, { 'content-type': 'application/json', etag: '"r2"' }).end(DATAFILE);
      } else if (req.method === 'POST' && req.url === '/sdk/v1/events') {
        batches.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, events: () => batches.flatMap((b) => b.events) };
}

it('treats forUser({ key }) without a kind as a user context: same values, reasons and events', async () => {
  const svc = await service();
  const logger = new MemoryLogger();
  const server = new AvsbServer({ sdkKey: 'srv-kind-test-0000', baseUrl: svc.url, streaming: false, pollIntervalMs: 60_000, logger, events: { flushIntervalMs: 60_000 } });
  running.push(server);
  expect(await server.onReady({ timeoutMs: 5_000 })).toEqual({ ready: true, revision: 2 });

  const bare = server.forUser({ key: 'u_1', plan: 'pro' });
  const user = server.forUser({ kind: 'user', key: 'u_1', plan: 'pro' });
  const org = server.forUser({ kind: 'org', key: 'u_1', plan: 'pro' });
  for (const flag of ['targeted', 'by-plan', 'experiment']) {
    expect(bare.getJsonFlagDetails(flag, null)).toEqual(user.getJsonFlagDetails(flag, null));
  }
  expect(bare.getStringFlagDetails('targeted', '?').reason).toEqual({ kind: 'TARGET_MATCH' });
  expect(bare.getNumberFlagDetails('by-plan', 0).value).toBe(2);
  // the kind matters: an org with the same key and plan is neither targeted nor matched
  expect(org.getStringFlag('targeted', '?')).toBe('no');
  expect(org.getNumberFlag('by-plan', 0)).toBe(1);
  expect(server.allFlags({ key: 'u_1', plan: 'pro' })).toEqual(server.allFlags({ kind: 'user', key: 'u_1', plan: 'pro' }));
  bare.track('purchase', { value: 3 });
  await server.flush();

  const events = svc.events();
  const exposures = events.filter((e) => e.kind === 'exposure' && e.inExperiment);
  expect(exposures.length).toBeGreaterThan(0);
  for (const e of exposures) expect(e.contextKeys).toEqual({ user: 'u_1' });
  expect(events.filter((e) => e.kind === 'custom').map((e) => e.contextKeys)).toEqual([{ user: 'u_1' }]);
  expect(logger.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
});
