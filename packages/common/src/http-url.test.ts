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

const TODO = 'give an http(s) URL such as https://flags.example.com';

it('names the option, says what is wrong and what to give instead', () => {
  expect(problem(42)).toBe(`baseUrl must be a string, not number: ${TODO}`);
  expect(problem(null)).toBe(`baseUrl must be a string, not null: ${TODO}`);
  expect(problem('  ')).toBe(`baseUrl is empty: ${TODO}`);
  expect(problem('flags.example.com')).toBe(`baseUrl "flags.example.com" is not a URL: ${TODO}`);
  expect(problem('/api')).toBe(`baseUrl "/api" is not a URL: ${TODO}`);
  expect(problem('ftp://files.example.com/x')).toBe(`baseUrl "ftp://files.example.com/x" is ftp:, not http(s): ${TODO}`);
  expect(problem('ws://example.com')).toContain('is ws:, not http(s)');
  expect(parseHttpUrl('nope', 'AVSB_BASE_URL')).toEqual({ ok: false, problem: `AVSB_BASE_URL "nope" is not a URL: ${TODO}` });
});

it('refuses a user name, password, query or fragment without quoting them', () => {
  expect(problem('https://admin:hunter2@flags.example.com/')).toBe(
    'baseUrl "https://flags.example.com/" has a user name or password (not shown): fetch refuses them; leave them out',
  );
  expect(problem('https://token@flags.example.com')).not.toContain('token');
  const query = problem('https://flags.example.com/?key=srv-0123456789abcdef#frag');
  expect(query).toBe('baseUrl "https://flags.example.com/" has a query or fragment (not shown): the SDK appends its paths to it; leave them out');
  expect(problem('https://flags.example.com#x')).toContain('has a query or fragment');
});

it('never quotes a credential of a value that is not a URL either', () => {
  const spaced = problem('http://admin:hunter 2@flags example.com?key=secret');
  expect(spaced).toBe(`baseUrl "http://flags example.com" is not a URL: ${TODO}`);
  const key = problem('srv-0123456789abcdef0123');
  expect(key).not.toContain('0123456789abcdef');
  expect(key).toContain('srv-…0123');
});

it('refuses a value longer than MAX_HTTP_URL_LENGTH unread, and quotes at most 80 characters of one', () => {
  expect(problem(`https://example.com/${'a'.repeat(MAX_HTTP_URL_LENGTH)}`)).toBe(`baseUrl is longer than ${MAX_HTTP_URL_LENGTH} characters: ${TODO}`);
  const shown = /"([^"]*)"/.exec(problem(`ftp://example.com/${'b'.repeat(200)}`))![1]!;
  expect(shown).toHaveLength(81);
  expect(shown.endsWith('…')).toBe(true);
});
