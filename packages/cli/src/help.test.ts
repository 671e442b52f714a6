import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from './help';
import { assertBuilt, avsb } from '../test/support/harness';

beforeAll(assertBuilt);

describe('avsb --help and usage errors', () => {
  it('avsb --help lists every command and exits 0', async () => {
    const r = await avsb(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: avsb <command>/m);
    for (const command of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'));
    expect(r.stderr).toBe('');
  });

  it.each(COMMANDS)('avsb %s --help shows its usage and exits 0', async (command) => {
    const r = await avsb([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: avsb ${command}\\b`));
    expect(r.stdout).toContain('-h, --help');
    const h = await avsb(['help', command]);
    expect(h.stdout).toBe(r.stdout);
  });

  it('-h works after other arguments, without running the command', async () => {
    const r = await avsb(['eval', 'some-flag', '-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: avsb eval/);
  });

  it('import and export with --token but no --server say they do not read AVSB_SERVER', async () => {
    const r = await avsb(['export', 'shop', '--token', 'T0ken'], { env: { AVSB_SERVER: 'http://127.0.0.1:4400' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--token goes with --server; export works on ./avsb.db unless --server <url> is given (it does not read AVSB_SERVER): add --server "$AVSB_SERVER"');
    expect(r.stderr).not.toContain('T0ken');
    const plain = await avsb(['import', 'shop.json', '--token', 'T0ken']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/--token goes with --server\n/);
  });

  it('a server URL with the API\'s path in it is refused with the root URL to give instead', async () => {
    const r = await avsb(['eval', 'checkout-v2', '--context', '{"key":"u_1"}', '--server', 'http://127.0.0.1:4400/api/v1/'], { env: { AVSB_SDK_KEY: 'srv-secret-key' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--server ends with /api/v1: give the server's root URL, such as http://127.0.0.1:4400 (avsb adds the API's paths)");
    const env = await avsb(['eval', 'checkout-v2', '--context', '{"key":"u_1"}'], { env: { AVSB_SDK_KEY: 'srv-secret-key', AVSB_SERVER: 'http://127.0.0.1:4400/sdk/v1/datafile' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain("AVSB_SERVER ends with /sdk/v1/datafile: give the server's root URL, such as http://127.0.0.1:4400");
    expect(r.stderr + env.stderr).not.toContain('srv-secret-key');
  });

  it('an unknown command is a usage error (exit 2) with a suggestion', async () => {
    const r = await avsb(['evl', 'x']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown command "evl"');
    expect(r.stderr).toContain('did you mean');
    expect(r.stderr).toContain('"eval"');
    expect(r.stderr).toContain('avsb --help');
  });

  it('a command far from any other gets no suggestion', async () => {
    const r = await avsb(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"\n/);
  });

  it('an unknown option is a usage error naming the command', async () => {
    const r = await avsb(['validate', 'x.json', '--strict']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('avsb validate: unknown option --strict');
    expect(r.stderr).toContain('avsb validate --help');
    const global = await avsb(['--verbose']);
    expect(global.code).toBe(2);
    expect(global.stderr).toContain('unknown option --verbose');
  });

  it('missing arguments and values are usage errors', async () => {
    expect((await avsb([])).code).toBe(2);
    const noFile = await avsb(['validate']);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('missing <file>');
    const noValue = await avsb(['eval', 'f', '--context']);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toContain('option --context needs a value');
    const extra = await avsb(['validate', 'a.json', 'b.json']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('unexpected argument "b.json"');
    const port = await avsb(['dev', '--port', 'http']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port must be an integer');
  });

  it('--version prints the package version', async () => {
    const r = await avsb(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
