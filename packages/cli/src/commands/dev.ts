import path from 'node:path';
import { existsSync, rmSync } from 'node:fs';
import { bool, expectPositionals, parsePort, parseCommandArgs, str } from '../lib/args';
import { type CliIo, CliError, UsageError } from '../lib/io';
import { logRequests } from '../lib/request-log';
import { loadServer, scrubLogLine } from '../lib/server';
import { VERSION_TEXT } from '../version';
import { execChild } from '../lib/exec-child';

const EXAMPLE_PROJECT = 'shop';

export async function devCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('dev', args, {
    port: { type: 'string' },
    host: { type: 'string' },
    db: { type: 'string' },
    token: { type: 'string' },
    quiet: { type: 'boolean' },
    exec: { type: 'string' },
  });
  expectPositionals('dev', positionals, []);
  const port = parsePort('dev', str(values, 'port') ?? '4400');
  const host = str(values, 'host') ?? '127.0.0.1';
  if (host.length === 0) throw new UsageError('--host must not be empty', 'dev');
  const dbPath = path.resolve(io.cwd, str(values, 'db') ?? 'avsb.db');
  const adminToken = str(values, 'token') ?? io.env.AVSB_ADMIN_TOKEN;
  const quiet = bool(values, 'quiet');
  const exec = str(values, 'exec');
  if (exec !== undefined && exec.trim().length === 0) throw new UsageError('--exec needs a command', 'dev');

  const { startServer } = await loadServer();
  const secrets: string[] = adminToken ? [adminToken] : [];
  const stamp = () => new Date().toISOString().slice(11, 23);
  const logger = {
    info: (message: string) => {
      if (!quiet) io.stdout.write(`${stamp()} info  ${scrubLogLine(message, secrets)}\n`);
    },
    warn: (message: string) => io.stderr.write(`${stamp()} warn  ${scrubLogLine(message, secrets)}\n`),
    error: (message: string) => io.stderr.write(`${stamp()} error ${scrubLogLine(message, secrets)}\n`),
  };

  // One line per request (method, path, status, ms); streams log when they end.
  const stopLogging = quiet ? () => {} : logRequests(logger.info, (line) => line);
  let server: Awaited<ReturnType<typeof startServer>>;
  // a start that fails (a port in use) leaves no database it made and seeded behind
  const dbExisted = existsSync(dbPath);
  try {
    server = await startServer({ dbPath, host, port, logger, seed: true, ...(adminToken ? { adminToken } : {}) });
  } catch (error) {
    stopLogging();
    if (!dbExisted) for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(file, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`${host}:${port} is already in use: stop the other process, or pass --port 0 for a free port`);
    if (code === 'EACCES') throw new CliError(`not allowed to listen on ${host}:${port}: pick a port above 1023`);
    // the server names its option; here it came from --token or AVSB_ADMIN_TOKEN
    const message = (error as Error).message.replace(/^adminToken /, `${str(values, 'token') !== undefined ? '--token' : 'AVSB_ADMIN_TOKEN'} `);
    throw new CliError(`cannot start the server: ${message}`);
  }
  secrets.push(server.adminToken);
  io.stdout.write(await banner(server, dbPath, io.invokedAs ?? 'avsb'));
  const app = exec === undefined ? null : await startApp(exec, server, io);

  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        io.stderr.write(`${signal} again: exiting now\n`);
        process.exit(1);
      }
      stopping = true;
      io.stdout.write(`\n${signal}: shutting down…\n`);
      (app ? app.stop() : Promise.resolve()).then(() => server.close()).then(
        () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          stopLogging();
          io.stdout.write('stopped\n');
          resolve(0);
        },
        (error: unknown) => {
          io.stderr.write(`error while shutting down: ${(error as Error).message}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

  return stopped;
}

/** Starts `--exec`'s command with the production keys of the example project. */
async function startApp(command: string, server: { url: string; store: ProjectStore }, io: CliIo) {
  const project = await server.store.getProject(EXAMPLE_PROJECT);
  const production = project?.environments.find((e) => e.key === 'production');
  if (!production) throw new CliError(`--exec needs the example project "${EXAMPLE_PROJECT}" with a production environment`);
  io.stdout.write(`Starting the app: ${command}\n\n`);
  return execChild(
    command,
    { AVSB_BASE_URL: server.url.replace(/\/+$/, ''), AVSB_SDK_KEY: production.serverKey, AVSB_CLIENT_KEY: production.clientKey },
    io,
  );
}

interface ProjectStore {
  getProject(key: string): Promise<{ environments: readonly { key: string; serverKey: string; clientKey: string }[] } | null>;
}

/** What a developer needs to start: URL, token and the example project's keys. Printed once, never logged. */
async function banner(
  server: { url: string; adminToken: string; store: ProjectStore },
  dbPath: string,
  command: string,
): Promise<string> {
  const url = server.url.replace(/\/+$/, '');
  const lines = [
    `A vs B dev server (${VERSION_TEXT})`,
    '',
    `  dashboard:    ${url}/`,
    `  admin token:  ${server.adminToken}`,
    `  database:     ${dbPath}`,
    '',
  ];
  const project = await server.store.getProject(EXAMPLE_PROJECT);
  if (project && project.environments.length > 0) {
    const width = Math.max(...project.environments.map((e) => e.key.length));
    lines.push(`SDK keys of the example project "${EXAMPLE_PROJECT}":`);
    for (const env of project.environments) {
      lines.push(`  ${env.key.padEnd(width)}  server key ${env.serverKey}  client key ${env.clientKey}`);
    }
    const production = project.environments.find((e) => e.key === 'production') ?? project.environments[0]!;
    // the key goes in the environment, not in a command line (where ps and shell logs show it)
    lines.push(
      '',
      `Try (as an app would, with the ${production.key} server key in the environment):`,
      `  export AVSB_SERVER=${url}`,
      `  export AVSB_SDK_KEY=${production.serverKey}`,
      // as this CLI was run: in a checkout (`pnpm start`) no `avsb` is on the PATH
      `  ${command} eval checkout-v2 --context '{"kind":"user","key":"u_1"}'`,
      '',
    );
  }
  lines.push('Press Ctrl-C to stop.', '');
  return lines.join('\n');
}
