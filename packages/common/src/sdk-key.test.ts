import { expect, it } from 'vitest';
import { checkSdkKey } from './sdk-key';

const SERVER_IN_PAGE = 'that is a server key (srv-…), which sees every flag and must never reach a browser: it was not sent anywhere. Rotate it if it was shipped in a page';
const CLIENT_IN_SERVER = 'that is a client-side key (cli-…), which only sees client-side flags and must not be used by a server';
const ADMIN = 'that is an admin API token (adm-…), not an SDK key';

it('accepts the wanted kind of key, trimmed; a server also takes a key without a known prefix, a page does not', () => {
  expect(checkSdkKey(' srv-abc123\n', 'sdkKey', 'srv-')).toEqual({ ok: true, key: 'srv-abc123' });
  expect(checkSdkKey('\tcli-abc123 ', 'clientKey', 'cli-')).toEqual({ ok: true, key: 'cli-abc123' });
  expect(checkSdkKey('test-key', 'sdkKey', 'srv-')).toEqual({ ok: true, key: 'test-key' });
  expect(checkSdkKey('test-key', 'clientKey', 'cli-')).toEqual({ ok: false, absent: false, problem: 'clientKey must start with cli-' });
});

it('says a key is missing or empty (absent, which an offline server allows), or of the wrong type, naming the option', () => {
  for (const want of ['srv-', 'cli-'] as const) {
    expect(checkSdkKey(undefined, 'key', want)).toEqual({ ok: false, absent: true, problem: 'key is missing' });
    expect(checkSdkKey(null, 'key', want)).toEqual({ ok: false, absent: true, problem: 'key is missing' });
    expect(checkSdkKey('', 'key', want)).toEqual({ ok: false, absent: true, problem: 'key is empty' });
    expect(checkSdkKey(' \t\n ', 'key', want)).toEqual({ ok: false, absent: true, problem: 'key is empty' });
    expect(checkSdkKey(42, 'key', want)).toEqual({ ok: false, absent: false, problem: 'key must be a string, not number' });
    expect(checkSdkKey({ key: 'srv-x' }, 'key', want)).toEqual({ ok: false, absent: false, problem: 'key must be a string, not object' });
  }
});

it('refuses another kind of key with what it is, and never quotes the key', () => {
  const problems = [
    [checkSdkKey(' srv-secret123 ', 'clientKey', 'cli-'), SERVER_IN_PAGE],
    [checkSdkKey('cli-secret123', 'sdkKey', 'srv-'), CLIENT_IN_SERVER],
    [checkSdkKey('adm-secret123', 'sdkKey', 'srv-'), ADMIN],
    [checkSdkKey('adm-secret123', 'clientKey', 'cli-'), ADMIN],
  ] as const;
  for (const [checked, problem] of problems) {
    expect(checked).toEqual({ ok: false, absent: false, problem });
    expect(JSON.stringify(checked)).not.toContain('secret123');
  }
});
