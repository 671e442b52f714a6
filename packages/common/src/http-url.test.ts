import { expect, it } from 'vitest';
import { MAX_HTTP_URL_LENGTH, parseHttpUrl } from './http-url';

const problem = (value: unknown): string => {
  const parsed = parseHttpUrl(value, 'baseUrl');
  if (parsed.ok) throw new Error(`${String(value)} was accepted`);
  return parsed.problem;
};

it('accepts absolute http and https URLs, trimmed and without trailing slashes', () => {
  expect(parseHttpUrl('https://flags.example.com', 'baseUrl')).toEqual({ ok: true, url: 'https://flags.example.com' });
  expect(parseHttpUrl(' http://127.0.0.1:4400/// ', 'baseUrl')).toEqual({ ok: true, url: 'http://127.0.0.1:4400' });
  expect(parseHttpUrl('https://example.com/avsb/', 'baseUrl')).toEqual({ ok: true, url: 'https://example.com/avsb' });
  expect(parseHttpUrl('HTTPS://EXAMPLE.COM', 'baseUrl')).toEqual({ ok: true, url: 'HTTPS://EXAMPLE.COM' });
});

const ADVICE = 'give the http(s) URL of the service, such as https://flags.example.com';

it('names the option, says what is wrong and what to give instead', () => {
  expect(problem(42)).toBe(`baseUrl must be a string, not number: ${ADVICE}`);
  expect(problem(null)).toBe(`baseUrl must be a string, not object: ${ADVICE}`);
  expect(problem('  ')).toBe(`baseUrl is not a URL: ${ADVICE}`);
  expect(problem('flags.example.com')).toBe(`baseUrl is not a URL: ${ADVICE}`);
  expect(problem('/api')).toBe(`baseUrl is not a URL: ${ADVICE}`);
  expect(problem('ftp://files.example.com/x')).toBe(`baseUrl is ftp:, not http(s): ${ADVICE}`);
  expect(problem('ws://example.com')).toBe(`baseUrl is ws:, not http(s): ${ADVICE}`);
  expect(parseHttpUrl('nope', 'AVSB_BASE_URL')).toEqual({ ok: false, problem: `AVSB_BASE_URL is not a URL: ${ADVICE}` });
});

it('refuses a user name, password, query or fragment, and never quotes the value', () => {
  expect(problem('https://admin:hunter2@flags.example.com/')).toBe(`baseUrl has a user name, password, query or fragment: ${ADVICE}`);
  expect(problem('https://token@flags.example.com')).toBe(`baseUrl has a user name, password, query or fragment: ${ADVICE}`);
  expect(problem('https://flags.example.com/?key=srv-0123456789abcdef')).toBe(`baseUrl has a user name, password, query or fragment: ${ADVICE}`);
  expect(problem('https://flags.example.com#x')).toBe(`baseUrl has a user name, password, query or fragment: ${ADVICE}`);
  expect(problem('http://admin:hunter 2@flags example.com?key=secret')).toBe(`baseUrl is not a URL: ${ADVICE}`);
});

it('refuses a value longer than MAX_HTTP_URL_LENGTH unread', () => {
  expect(problem(`https://example.com/${'a'.repeat(MAX_HTTP_URL_LENGTH)}`)).toBe(`baseUrl is longer than ${MAX_HTTP_URL_LENGTH} characters: ${ADVICE}`);
  expect(parseHttpUrl(`https://example.com/${'a'.repeat(MAX_HTTP_URL_LENGTH - 20)}`, 'baseUrl').ok).toBe(true);
});
