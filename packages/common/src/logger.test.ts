import { afterEach, expect, it, vi } from 'vitest';
import { consoleLogger, levelLogger, redactKeys, silentLogger } from './index';
import type { Logger } from './index';

afterEach(() => vi.restoreAllMocks());

function recording(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

it('masks every A vs B key in a message to its prefix and last four characters', () => {
  expect(redactKeys('key srv-abcdef1234 and cli-Zz_9-x0a1b2, adm-12345678')).toBe('key srv-…1234 and cli-…a1b2, adm-…5678');
  expect(redactKeys('srv-abc is too short, server-side is a word')).toBe('srv-abc is too short, server-side is a word');
});

it('filters by level, prefixes, masks keys and swallows what the logger throws', () => {
  const { logger, lines } = recording();
  const log = levelLogger(logger, { level: 'warn' });
  log.info('dropped');
  log.warn('refused srv-0123456789abcdef');
  log.error('boom');
  expect(lines).toEqual(['warn [avsb] refused srv-…cdef', 'error [avsb] boom']);
  const throwing = levelLogger({ ...logger, error: () => { throw new Error('disk full'); } });
  expect(() => throwing.error('x')).not.toThrow();
  const none = levelLogger(logger, { level: 'none' });
  none.error('nothing');
  expect(lines).toHaveLength(2);
});

it('writes to the console at warn and above by default, masking keys', () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const info = vi.spyOn(console, 'info').mockImplementation(() => {});
  consoleLogger().info('hidden');
  consoleLogger().warn('sdk key srv-0123456789abcdef refused');
  expect(info).not.toHaveBeenCalled();
  expect(warn).toHaveBeenCalledWith('[avsb] sdk key srv-…cdef refused');
  consoleLogger('info', '[shop]').info('hello');
  expect(info).toHaveBeenCalledWith('[shop] hello');
  consoleLogger('debug', '').info('as it is');
  expect(info).toHaveBeenLastCalledWith('as it is');
});

it('has a logger that writes nothing', () => {
  expect(() => silentLogger.error('x')).not.toThrow();
  expect(Object.isFrozen(silentLogger)).toBe(true);
});
