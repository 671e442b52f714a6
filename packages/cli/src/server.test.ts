// `avsb dev` as users run it, and every command that talks to a server or a database.
import { existsSync, readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { type DevServer, CLI, assertBuilt, avsb, startDev, tempDir } from '../test/support/harness';
import { invocation } from './lib/io';

const tmp = tempDir();
let dev: DevServer;

beforeAll(async () => {
  assertBuilt();
  dev = await startDev(tmp.dir, ['--db', 'dev.db']);
});

afterAll(async () => {
  if (dev && dev.child.exitCode === null && dev.child.signalCode === null) await dev.stop('SIGKILL');
  tmp.remove();
});

/** Every secret `avsb dev` printed. */
/** A port nothing listens on: one the system just handed out and that was closed again. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const secrets = () => [dev.adminToken, ...Object.values(dev.keys).flatMap((k) => [k.serverKey, k.clientKey])];

function expectNoSecrets(text: string, extra: string[] = []): void {
  for (const secret of [...secrets(), ...extra]) expect(text).not.toContain(secret);
}

describe('avsb dev', () => {
  it('prints the dashboard URL, the admin token and the SDK keys of each environment', async () => {
    expect(dev.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(dev.adminToken.length).toBeGreaterThan(10);
    expect(Object.keys(dev.keys).sort()).toEqual(['production', 'staging']);
    const page = await fetch(`${dev.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  // `pnpm start` runs `node packages/cli/dist/cli.js dev`: the banner's `avsb eval` was "command not found" there
  it('shows eval as this CLI was run, with the server and key from the environment, and the lines work as printed', async () => {
    const banner = dev.stdout().split('Press Ctrl-C to stop.')[0]!;
    const tryLines = banner.slice(banner.indexOf('Try')).split('\n');
    expect(tryLines.slice(1, 4)).toEqual([
      `  export AVSB_SERVER=${dev.url}`,
      `  export AVSB_SDK_KEY=${dev.keys.production!.serverKey}`,
      `  node ${CLI} eval checkout-v2 --context '{"kind":"user","key":"u_1"}'`,
    ]);
    expect(banner).not.toContain('--sdk-key');
    const typed = spawnSync('sh', ['-c', tryLines.slice(1, 4).join('\n')], { cwd: tmp.dir, env: { PATH: process.env.PATH }, encoding: 'utf8' });
    expect(typed.stderr).toBe('');
    expect(typed.status).toBe(0);
    expect(typed.stdout).toMatch(/^reason:\s+TARGET_MATCH$/m);
  });

  it('names the command as a user runs it: avsb when installed, npx @avsb/cli through npx, node and the path in a checkout', () => {
    expect(invocation('/usr/local/bin/avsb', '/home/me')).toBe('avsb');
    expect(invocation('/home/me/app/node_modules/@avsb/cli/dist/cli.js', '/home/me/app')).toBe('avsb');
    expect(invocation('/home/me/.npm/_npx/1a2b/node_modules/.bin/avsb', '/home/me')).toBe('npx @avsb/cli');
    expect(invocation('/home/me/avsb/packages/cli/dist/cli.js', '/home/me/avsb')).toBe('node packages/cli/dist/cli.js');
    expect(invocation('/home/me/avsb/packages/cli/dist/cli.js', '/tmp')).toBe('node /home/me/avsb/packages/cli/dist/cli.js');
    expect(invocation('/home/me/my avsb/packages/cli/dist/cli.js', '/tmp')).toBe(`node '/home/me/my avsb/packages/cli/dist/cli.js'`);
    expect(invocation(undefined, '/tmp')).toBe('avsb');
  });

  it('serves the example project with a printed key', async () => {
    const server = await fetch(`${dev.url}/sdk/v1/datafile`, { headers: { authorization: dev.keys.production!.serverKey } });
    expect(server.status).toBe(200);
    const datafile = (await server.json()) as { schemaVersion: number; flags: { key: string }[] };
    expect(datafile.schemaVersion).toBe(1);
    expect(datafile.flags.map((f) => f.key)).toContain('checkout-v2');
    const client = await fetch(`${dev.url}/sdk/v1/datafile`, { headers: { authorization: dev.keys.staging!.clientKey } });
    expect(client.status).toBe(200);
    const refused = await fetch(`${dev.url}/sdk/v1/datafile`, { headers: { authorization: 'srv-not-a-real-key' } });
    expect(refused.status).toBe(401);
  });

  it('logs requests (method, path, status, ms), never a key or the token', async () => {
    // A stream authenticated by a query-string key must not leak it either.
    const controller = new AbortController();
    const stream = await fetch(`${dev.url}/sdk/v1/stream?key=${dev.keys.production!.clientKey}`, { signal: controller.signal });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.read().catch(() => undefined);
    await fetch(`${dev.url}/api/v1/projects`, { headers: { authorization: `Bearer ${dev.adminToken}` } });
    // the server logs each request as it ends, in order, on one stdout: once the last one's line is read, the lines of
    // those before it (the stream's, had it one) are there too
    const deadline = Date.now() + 10_000;
    while (!/GET \/api\/v1\/projects 200 /.test(dev.log()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const log = dev.log();
    expect(log).toMatch(/info\s+GET \/sdk\/v1\/datafile 200 \d+(\.\d+)?ms/);
    expect(log).toMatch(/info\s+GET \/sdk\/v1\/datafile 401 /);
    expect(log).toMatch(/info\s+GET \/api\/v1\/projects 200 /);
    expectNoSecrets(log + dev.stderr());
  });
});

describe('avsb eval --server', () => {
  it('evaluates against the served datafile; the key appears in no output', async () => {
    const key = dev.keys.production!.serverKey;
    const r = await avsb(['eval', 'checkout-v2', '--server', dev.url, '--sdk-key', key, '--context', '{"kind":"user","key":"u_9","plan":"pro"}']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^value:\s+true$/m);
    expect(r.stdout).toContain('RULE_MATCH (rule 0 "pro-plan")');
    expectNoSecrets(r.stdout + r.stderr);

    const viaEnv = await avsb(['eval', 'checkout-v2', '--server', dev.url, '--context', '{"key":"u_9"}', '--json'], { env: { AVSB_SDK_KEY: key } });
    expect(viaEnv.code).toBe(0);
    expect(JSON.parse(viaEnv.stdout)).toMatchObject({ flag: 'checkout-v2', reason: { kind: 'FALLTHROUGH' }, inExperiment: true });
    expectNoSecrets(viaEnv.stdout + viaEnv.stderr);
  });

  it('takes the server from AVSB_SERVER, as the banner shows; --datafile wins over it', async () => {
    const key = dev.keys.production!.serverKey;
    const env = { AVSB_SERVER: dev.url, AVSB_SDK_KEY: key };
    const r = await avsb(['eval', 'checkout-v2', '--context', '{"kind":"user","key":"u_1"}', '--json'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ flag: 'checkout-v2' });
    expectNoSecrets(r.stdout + r.stderr);
    const file = tmp.file('eval-datafile.json', { schemaVersion: 1, flags: [{ key: 'local', on: true, variations: ['here'], fallthrough: { variation: 0 } }] });
    const local = await avsb(['eval', 'local', '--datafile', file, '--context', '{"key":"u"}', '--json'], { env });
    expect(local.code).toBe(0);
    expect(JSON.parse(local.stdout)).toMatchObject({ value: 'here' });
    // a bad AVSB_SERVER is named as the user set it: there is no --server on the command line to fix
    const noScheme = { AVSB_SERVER: dev.url.replace(/^http:\/\//, ''), AVSB_SDK_KEY: key, AVSB_ADMIN_TOKEN: dev.adminToken };
    const evaluated = await avsb(['eval', 'checkout-v2', '--context', '{"key":"u"}'], { env: noScheme });
    expect(evaluated.code).toBe(2);
    expect(evaluated.stderr).toMatch(/^avsb eval: AVSB_SERVER is not a URL: /);
    const results = await avsb(['results', 'checkout-v2', '--metric', 'purchase'], { env: noScheme });
    expect(results.code).toBe(2);
    expect(results.stderr).toMatch(/^avsb results: AVSB_SERVER is not a URL: /);
    expect((await avsb(['results', 'checkout-v2', '--metric', 'purchase', '--server', 'nope'], { env: noScheme })).stderr).toMatch(
      /^avsb results: --server is not a URL: /,
    );
  });

  it('a refused key or an unreachable server: exit 1, and the key is not echoed', async () => {
    const fake = 'srv-ThisIsNotAValidKeyButLooksLikeOne1234';
    const refused = await avsb(['eval', 'checkout-v2', '--server', dev.url, '--sdk-key', fake, '--context', '{"key":"u"}']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'the datafile: the server answered 401 unauthorized: unknown or rotated SDK key (check --sdk-key or AVSB_SDK_KEY: a server key, srv-…, of the environment; avsb dev prints them)',
    );
    expectNoSecrets(refused.stdout + refused.stderr, [fake]);
    const refusedToFetch = await avsb(['eval', 'checkout-v2', '--server', 'http://127.0.0.1:9', '--sdk-key', fake, '--context', '{"key":"u"}']);
    expect(refusedToFetch.code).toBe(1);
    expect(refusedToFetch.stderr).toContain('cannot reach http://127.0.0.1:9 for the datafile: bad port');
    expectNoSecrets(refusedToFetch.stdout + refusedToFetch.stderr, [fake]);
    const port = await closedPort();
    const down = await avsb(['eval', 'checkout-v2', '--server', `http://127.0.0.1:${port}`, '--sdk-key', fake, '--context', '{"key":"u"}']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(
      `cannot reach http://127.0.0.1:${port} for the datafile: ECONNREFUSED: is the server running? (avsb dev starts one; --server or AVSB_SERVER names another)`,
    );
    expectNoSecrets(down.stdout + down.stderr, [fake]);
  });
});

describe('avsb results', () => {
  it('prints the results table and the SRM line', async () => {
    const events: object[] = [];
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 400; i++) {
      const variation = i % 2;
      const user = `user-${i}`;
      events.push({ kind: 'exposure', time: t0 + i, contextKeys: { user }, flag: 'checkout-v2', variation, reason: 'FALLTHROUGH', inExperiment: true, revision: 1 });
      // control converts 1 in 10, treatment 1 in 5
      if ((variation === 0 && i % 20 === 0) || (variation === 1 && i % 10 === 1)) {
        events.push({ kind: 'custom', time: t0 + 10_000 + i, contextKeys: { user }, key: 'purchase', value: 50 });
      }
    }
    const posted = await fetch(`${dev.url}/sdk/v1/events`, {
      method: 'POST',
      headers: { authorization: dev.keys.production!.serverKey, 'content-type': 'application/json' },
      body: JSON.stringify({ batchId: 'cli-test-batch-1', events }),
    });
    expect(posted.status).toBe(202);

    const r = await avsb(['results', 'checkout-v2', '--metric', 'purchase', '--server', dev.url], { env: { AVSB_ADMIN_TOKEN: dev.adminToken } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('checkout-v2 · metric purchase · shop/production');
    const header = lines.find((l) => l.startsWith('variation'))!;
    for (const column of ['exposed', 'conversions', 'rate', 'lift (95% CI)', 'p-value', 'value mean']) expect(header).toContain(column);
    // value means as the server computes them
    const json = await avsb(['results', 'checkout-v2', '--metric', 'purchase', '--server', dev.url, '--json'], { env: { AVSB_ADMIN_TOKEN: dev.adminToken } });
    const means = (JSON.parse(json.stdout) as { variations: { valueMean: number }[] }).variations.map((v) => v.valueMean.toFixed(2));
    const control = lines.find((l) => l.startsWith('0 false (control)'))!;
    expect(control.split(/\s{2,}/)).toEqual(['0 false (control)', '200', '20', '10.00%', 'control', '—', means[0]]);
    const treatment = lines.find((l) => l.startsWith('1 true'))!;
    const cells = treatment.split(/\s{2,}/);
    expect(cells.slice(0, 4)).toEqual(['1 true', '200', '40', '20.00%']);
    expect(cells[4]).toMatch(/^\+100\.0% \[[+-]\d+\.\d%, \+\d+\.\d%\]$/);
    expect(cells[5]).toMatch(/^(<0\.001|0\.\d{3})$/);
    expect(cells[6]).toBe(means[1]);
    expect(r.stdout).toMatch(/^SRM: χ² = 0\.00, p = 1\.000: no sample ratio mismatch \(expected split 50% \/ 50%\)$/m);
    expectNoSecrets(r.stdout + r.stderr);
  });

  it('--json passes the server answer through; a wrong token is refused without echo', async () => {
    const r = await avsb(['results', 'checkout-v2', '--metric', 'purchase', '--server', dev.url, '--token', dev.adminToken, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ flag: 'checkout-v2', metric: 'purchase', srm: { mismatch: false } });
    const wrong = 'adm-definitely-not-the-token';
    const refused = await avsb(['results', 'checkout-v2', '--metric', 'purchase', '--server', dev.url, '--token', wrong]);
    expect(refused.code).toBe(1);
    // the token changes on every start of avsb dev: a token exported from an earlier run is the usual cause
    expect(refused.stderr).toContain(
      'the results of checkout-v2: the server answered 401 unauthorized: wrong admin token (check --token or AVSB_ADMIN_TOKEN: avsb dev prints the admin token, a new one on every start unless --token or AVSB_ADMIN_TOKEN fixes it)',
    );
    expectNoSecrets(refused.stdout + refused.stderr, [wrong]);
    const noMetric = await avsb(['results', 'checkout-v2', '--server', dev.url, '--token', dev.adminToken]);
    expect(noMetric.code).toBe(2);
  });

  it('a metric nobody tracked: says so and lists the metrics seen; one tracked before any exposure: says that', async () => {
    const env = { AVSB_ADMIN_TOKEN: dev.adminToken };
    const typo = await avsb(['results', 'checkout-v2', '--metric', 'purchse', '--server', dev.url], { env });
    expect(typo.code).toBe(0);
    expect(typo.stdout).toMatch(/^0 false \(control\)\s+200\s+0\s/m);
    expect(typo.stderr).toBe('note: no "purchse" events were tracked in shop/production, so every conversion count is 0. Metrics seen: purchase (60)\n');
    const json = await avsb(['results', 'checkout-v2', '--metric', 'purchse', '--server', dev.url, '--json'], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ metric: 'purchse' });
    expect(json.stderr).toContain('Metrics seen: purchase (60)');

    // tracked, but only by a context never exposed
    const posted = await fetch(`${dev.url}/sdk/v1/events`, {
      method: 'POST',
      headers: { authorization: dev.keys.production!.serverKey, 'content-type': 'application/json' },
      body: JSON.stringify({ batchId: 'cli-test-batch-2', events: [{ kind: 'custom', time: Date.now(), contextKeys: { user: 'never-exposed' }, key: 'signup' }] }),
    });
    expect(posted.status).toBe(202);
    const signup = await avsb(['results', 'checkout-v2', '--metric', 'signup', '--server', dev.url], { env });
    expect(signup.stderr).toBe("note: \"signup\" was tracked 1 time, but never by a context after its exposure to checkout-v2's experiment\n");
    expectNoSecrets(typo.stdout + typo.stderr + signup.stderr);
  });
});

const flag = (key: string, extra: object = {}) => ({ key, on: true, variations: [false, true], offVariation: 0, fallthrough: { variation: 0 }, ...extra });

const DOCUMENT = {
  key: 'acme',
  name: 'Acme',
  environments: [
    {
      key: 'production',
      name: 'Production',
      flags: [
        flag('new-search', { name: 'New search', description: 'The rewritten search page.', rules: [{ id: 'beta', clauses: [{ op: 'segmentMatch', values: ['beta'] }], serve: { variation: 1 } }] }),
        flag('dark-mode', { clientSide: true }),
      ],
      segments: [{ key: 'beta', name: 'Beta', included: ['u_1'] }],
    },
    { key: 'staging', name: 'Staging', flags: [flag('new-search', { on: false })], segments: [] },
  ],
};

describe('avsb import / export', () => {
  it('round trip through a SQLite file', async () => {
    const doc = tmp.file('acme.json', DOCUMENT);
    const imported = await avsb(['import', doc, '--db', 'rt.db'], { cwd: tmp.dir });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('imported project "acme" into rt.db: 2 environments, 3 flags, 1 segment');
    // the new project's keys, once
    expect(imported.stdout).toMatch(/^SDK keys of "acme" /m);
    expect(imported.stdout).toMatch(/^ {2}production {2}server key srv-\S+ {2}client key cli-\S+$/m);
    expect(imported.stdout).toMatch(/^ {2}staging {5}server key srv-\S+ {2}client key cli-\S+$/m);

    const exported = await avsb(['export', 'acme', '--db', 'rt.db'], { cwd: tmp.dir });
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual(DOCUMENT);

    const again = await avsb(['import', doc, '--db', 'rt.db'], { cwd: tmp.dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists: pass --replace');
    const replaced = await avsb(['import', doc, '--db', 'rt.db', '--replace'], { cwd: tmp.dir });
    expect(replaced.code).toBe(0);

    const yaml = await avsb(['export', 'acme', '--db', 'rt.db', '--out', 'acme.yaml'], { cwd: tmp.dir });
    expect(yaml.code).toBe(0);
    expect(parseYaml(readFileSync(path.join(tmp.dir, 'acme.yaml'), 'utf8'))).toEqual(DOCUMENT);
  });

  it('--out in a folder that does not exist names the folder (export and compile)', async () => {
    const folder = path.join(tmp.dir, 'no-such-out');
    const exported = await avsb(['export', 'acme', '--db', 'rt.db', '--out', 'no-such-out/acme.json'], { cwd: tmp.dir });
    expect(exported.code).toBe(1);
    expect(exported.stderr).toBe(
      `avsb export: error: --out no-such-out/acme.json: the folder ${folder} does not exist: create it first (mkdir -p), or write elsewhere\n`,
    );
    const datafile = tmp.file('out-datafile.json', { schemaVersion: 1, flags: [] });
    const compiled = await avsb(['compile', datafile, '--out', 'no-such-out/flags.avsbc.json'], { cwd: tmp.dir });
    expect(compiled.code).toBe(1);
    expect(compiled.stderr).toContain(`avsb compile: error: --out no-such-out/flags.avsbc.json: the folder ${folder} does not exist`);
  });

  it('round trip through the running server (YAML in, JSON out)', async () => {
    const yamlFile = path.join(tmp.dir, 'acme.yaml');
    const token = dev.adminToken;
    const imported = await avsb(['import', yamlFile, '--server', dev.url, '--token', token]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`imported project "acme" into ${dev.url}`);
    const printed = /^ {2}production {2}server key (srv-\S+) {2}client key (cli-\S+)$/m.exec(imported.stdout);
    const exported = await avsb(['export', 'acme', '--server', dev.url, '--format', 'json'], { env: { AVSB_ADMIN_TOKEN: token } });
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual(DOCUMENT);
    // the imported environments got fresh, working keys
    const keys = await fetch(`${dev.url}/api/v1/projects/acme/environments/production/keys?reveal=true`, { headers: { authorization: `Bearer ${token}` } });
    const { serverKey, clientKey } = (await keys.json()) as { serverKey: string; clientKey: string };
    // the import printed the project's keys (the only output that may show them)
    expect(printed?.slice(1)).toEqual([serverKey, clientKey]);
    const r = await avsb(['eval', 'new-search', '--server', dev.url, '--sdk-key', serverKey, '--context', '{"key":"u_1"}', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ value: true, reason: { kind: 'RULE_MATCH' } });
    expectNoSecrets(imported.stderr + exported.stderr + r.stdout + r.stderr, [serverKey]);
    expectNoSecrets(imported.stdout, [token]);
  });

  it('a document with problems lists them all and imports nothing', async () => {
    const broken = structuredClone(DOCUMENT) as typeof DOCUMENT & { key: string };
    broken.key = 'broken';
    (broken.environments[0]!.flags[0] as Record<string, unknown>).fallthrough = { variation: 9 };
    (broken.environments[1]!.flags[0] as Record<string, unknown>).on = 'no';
    const file = tmp.file('broken.json', broken);
    const r = await avsb(['import', file, '--db', 'rt.db'], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('2 problems, nothing imported');
    expect(r.stderr).toContain('environments[0].flags[0].fallthrough.variation');
    expect(r.stderr).toContain('environments[1].flags[0].on');
    const missing = await avsb(['export', 'broken', '--db', 'rt.db'], { cwd: tmp.dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('not found');
  });

  it('an existing project is refused before the document is validated, into a file or a server', async () => {
    const flags = Array.from({ length: 300 }, (_, i) => flag(`flag-${i}`, { fallthrough: { variation: 9 } }));
    const file = tmp.file('acme-again.json', { key: 'acme', name: 'Acme', environments: [{ key: 'production', name: 'Production', flags, segments: [] }] });
    const intoDb = await avsb(['import', file, '--db', 'rt.db'], { cwd: tmp.dir });
    expect(intoDb.code).toBe(1);
    // no progress and none of the 300 problems: the conflict alone
    expect(intoDb.stderr).toBe('avsb import: error: project "acme" already exists: pass --replace to overwrite it\n');
    expect(intoDb.stdout).toBe('');
    const intoServer = await avsb(['import', file, '--server', dev.url, '--token', dev.adminToken]);
    expect(intoServer.code).toBe(1);
    expect(intoServer.stderr).toBe('avsb import: error: project "acme" already exists: pass --replace to overwrite it\n');
    // with --replace the document is validated as before
    const replacing = await avsb(['import', file, '--db', 'rt.db', '--replace'], { cwd: tmp.dir });
    expect(replacing.code).toBe(1);
    expect(replacing.stderr).toContain('300 problems, nothing imported');
  });

  it('a large document reports progress on stderr', async () => {
    const flags = Array.from({ length: 300 }, (_, i) =>
      flag(`flag-${i}`, { rules: [{ clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } }] }),
    );
    const file = tmp.file('large.json', { key: 'large', name: 'Large', environments: [{ key: 'production', name: 'Production', flags, segments: [] }] });
    const r = await avsb(['import', file, '--db', 'large.db'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('validated 300/300 flags');
    expect(r.stderr).toContain('importing 300 flags and 0 segments in 1 environment');
    expect(r.stderr).toMatch(/imported 300\/300 flags\n$/);
    expect(r.stdout).toContain('300 flags');
    const small = await avsb(['import', tmp.file('small.json', { ...DOCUMENT, key: 'small' }), '--db', 'large.db'], { cwd: tmp.dir });
    expect(small.stderr).toBe('');
  });

  it('usage: one target, a format, a database that exists', async () => {
    expect((await avsb(['export', 'acme', '--format', 'xml', '--db', 'rt.db'], { cwd: tmp.dir })).code).toBe(2);
    expect((await avsb(['export', 'acme', '--db', 'rt.db', '--server', dev.url], { cwd: tmp.dir })).code).toBe(2);
    const noToken = await avsb(['import', 'x.json', '--server', dev.url]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('--token');
    const noDb = await avsb(['export', 'acme'], { cwd: tmp.dir });
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toContain('no database at ./avsb.db');
  });
});

describe('avsb dev shutdown', () => {
  it('SIGINT stops it cleanly with exit 0; a restart keeps the data and the keys', async () => {
    const keys = dev.keys;
    const stopped = await dev.stop('SIGINT');
    expect(stopped).toEqual({ code: 0, signal: null });
    expect(dev.stdout()).toContain('SIGINT: shutting down');

    const again = await startDev(tmp.dir, ['--db', 'dev.db', '--quiet']);
    try {
      expect(again.keys).toEqual(keys);
      const projects = await fetch(`${again.url}/api/v1/projects`, { headers: { authorization: `Bearer ${again.adminToken}` } });
      const list = (await projects.json()) as { key: string }[];
      expect(list.map((p) => p.key)).toEqual(expect.arrayContaining(['shop', 'acme']));
    } finally {
      expect(await again.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    }
    expect(again.log()).not.toMatch(/info\s+GET/);
  });

  it('--exec runs an app beside the server with its URL and keys, and stops it first on SIGINT', async () => {
    const app = tmp.file(
      'app.cjs',
      [
        "const key = process.env.AVSB_SDK_KEY || '';",
        "fetch(process.env.AVSB_BASE_URL + '/sdk/v1/datafile', { headers: { authorization: key } })",
        "  .then((r) => console.log('app sees datafile ' + r.status + ' with a ' + key.slice(0, 4) + ' key'));",
        "process.on('SIGTERM', () => process.stdout.write('app got SIGTERM\\n', () => process.exit(0)));",
        'setInterval(() => {}, 1000);',
      ].join('\n'),
    );
    const withApp = await startDev(tmp.dir, ['--db', 'exec.db', '--quiet', '--exec', `node ${JSON.stringify(app)}`]);
    const deadline = Date.now() + 10_000;
    while (!withApp.stdout().includes('app sees datafile') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(withApp.stdout()).toContain('[app] app sees datafile 200 with a srv- key');
    expect(await withApp.stop('SIGINT')).toEqual({ code: 0, signal: null });
    const out = withApp.stdout();
    expect(out.indexOf('[app] app got SIGTERM')).toBeGreaterThan(out.indexOf('SIGINT: shutting down'));
    expect(out.indexOf('[app] app got SIGTERM')).toBeLessThan(out.indexOf('stopped'));
  });

  it('a database in a folder that does not exist is a clear error, naming the folder', async () => {
    const folder = path.join(tmp.dir, 'no-such-folder');
    const dev = await avsb(['dev', '--port', '0', '--db', 'no-such-folder/avsb.db'], { cwd: tmp.dir });
    expect(dev.code).toBe(1);
    expect(dev.stderr).toContain(`avsb dev: error: cannot start the server: the database folder ${folder} does not exist`);
    const imported = await avsb(['import', tmp.file('to-nowhere.json', DOCUMENT), '--db', 'no-such-folder/avsb.db'], { cwd: tmp.dir });
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain(`avsb import: error: the database folder ${folder} does not exist`);
  });

  it('a short admin token is refused, named as it was given and never echoed', async () => {
    const r = await avsb(['dev', '--port', '0', '--db', 'short-token.db', '--token', 'abc123'], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('avsb dev: error: cannot start the server: --token must be at least 16 printable characters without spaces (leave it out for a random one)');
    expect(r.stderr).not.toContain('abc123');
    const env = await avsb(['dev', '--port', '0', '--db', 'short-token.db'], { cwd: tmp.dir, env: { AVSB_ADMIN_TOKEN: 'abc123' } });
    expect(env.stderr).toContain('cannot start the server: AVSB_ADMIN_TOKEN must be at least 16 printable characters');
    expect(existsSync(path.join(tmp.dir, 'short-token.db'))).toBe(false);
  });

  it('a port in use is a clear error', async () => {
    const first = await startDev(tmp.dir, ['--db', 'other.db', '--quiet']);
    try {
      const port = new URL(first.url).port;
      const r = await avsb(['dev', '--port', port, '--db', 'third.db'], { cwd: tmp.dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`127.0.0.1:${port} is already in use`);
      // the failed start leaves no database of its own behind, and a database that was there before stays
      expect(existsSync(path.join(tmp.dir, 'third.db'))).toBe(false);
      expect(existsSync(path.join(tmp.dir, 'third.db-wal'))).toBe(false);
      const again = await avsb(['dev', '--port', port, '--db', 'other.db'], { cwd: tmp.dir });
      expect(again.code).toBe(1);
      expect(existsSync(path.join(tmp.dir, 'other.db'))).toBe(true);
    } finally {
      await first.stop();
    }
  });
});
