import { CliError } from './io';

type ServerModule = typeof import('@avsb/server');

/**
 * Loads `@avsb/server` only for the commands that need it (dev, and import
 * and export with --db): validate and eval work without its native SQLite.
 */
export async function loadServer(): Promise<ServerModule> {
  try {
    return await import('@avsb/server');
  } catch (error) {
    throw new CliError(`cannot load @avsb/server (the local server and its SQLite driver): ${(error as Error).message}`);
  }
}

/** Matches SDK keys anywhere in a text (`srv-…`, `cli-…`), e.g. a stream URL's `?key=`. */
const SDK_KEY = /\b(srv|cli)-[A-Za-z0-9_-]{6,}/g;

/** Hides SDK keys, `key=` query values and the given secrets in a log line. */
export function scrubLogLine(line: string, secrets: readonly string[] = []): string {
  let out = line.replace(SDK_KEY, '$1-***').replace(/([?&](?:key|token)=)[^&\s]*/gi, '$1***');
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}
