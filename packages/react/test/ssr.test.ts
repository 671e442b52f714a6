// Server rendering with react-dom/server in Node, with React 18 and React 19: the provider renders from bootstrap
// values, with no client, no engine and no network.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Listening, listen } from '@avsb/test-support';
import { REACT_MAJORS, bundle } from './support/bundle';

type ServerEntry = typeof import('./page/server-entry');

const bootstrap = { 'new-banner': true, 'ui-theme': 'dark', layout: { columns: 3 } };
const visitor = { kind: 'user', key: 'u_1' };

/** A server counting every request: the server render must make none. */
let service: Listening;
const requests: string[] = [];

beforeAll(async () => {
  service = await listen((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(500).end();
  });
});

afterAll(async () => {
  await service?.close();
});

describe.each(REACT_MAJORS)('React %i', (major) => {
  let ssr: ServerEntry;
  let dir: string;

  beforeAll(async () => {
    dir = await bundle('server-entry', major, 'node', 'server-entry.cjs');
    ssr = createRequire(import.meta.url)(join(dir, 'server-entry.cjs')) as ServerEntry;
    expect(ssr.version.split('.')[0]).toBe(String(major));
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders the bootstrap values on the server from the options of createClient, without creating a client or calling the service', async () => {
    const html = ssr.renderApp({ clientKey: 'cli-test', baseUrl: service.url, context: visitor, bootstrap });
    expect(html).toContain('banner: on');
    expect(html).toContain('theme: dark, columns: 3');
    expect(html).toContain('dark (BOOTSTRAP, no client)');
    await new Promise((resolve) => setTimeout(resolve, 100)); // anything started in the background would have called by now
    expect(requests).toEqual([]);
  });

  it('renders the bootstrap values on the server from options without a client key, which only the browser needs', async () => {
    const logged: string[] = [];
    const logger = { debug: () => {}, info: () => {}, warn: (m: string) => void logged.push(m), error: (m: string) => void logged.push(m) };
    // the server leaves the key out, or passes what is unset on the server (string | undefined): both type-check
    const html = ssr.renderApp({ baseUrl: service.url, context: visitor, bootstrap, logger });
    expect(html).toContain('banner: on');
    expect(html).toContain('dark (BOOTSTRAP, no client)');
    const unset: string | undefined = process.env.AVSB_TEST_UNSET_CLIENT_KEY;
    expect(ssr.renderApp({ clientKey: unset, baseUrl: service.url, context: visitor, bootstrap, logger })).toBe(html);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(requests).toEqual([]);
    expect(logged).toEqual([]);
  });

  it('renders the bootstrap values with client={null}', () => {
    const html = ssr.renderApp({ client: null, bootstrap });
    expect(html).toContain('banner: on');
    expect(html).toContain('theme: dark, columns: 3');
  });

  it('renders the defaults without bootstrap values, and a value of the wrong type as the default', () => {
    expect(ssr.renderApp({ client: null })).toContain('none (ERROR, no client)');
    const html = ssr.renderApp({ client: null, bootstrap: { 'new-banner': 'yes', 'ui-theme': 7 } });
    expect(html).toContain('banner: off');
    expect(html).toContain('theme: none, columns: 1');
  });

  it('serves a flag named __proto__ as a flag, not as the prototype', () => {
    const values = JSON.parse('{"__proto__": "x", "ui-theme": "dark"}') as Record<string, string>;
    expect(ssr.renderApp({ client: null, bootstrap: values })).toContain('theme: dark');
  });

  it('renders every hook outside a provider with its default, warning once in development', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const html = ssr.renderOrphans();
      expect(html).toContain('banner: off');
      expect(html).toContain('theme: none, columns: 1');
      ssr.renderOrphans();
      expect(warn.mock.calls).toEqual([['@avsb/react: a flag hook is used outside <AvsbProvider>: it serves its default value']]);
    } finally {
      warn.mockRestore();
    }
  });
});
