import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { STREAM_HEARTBEAT_MS } from '@avsb/protocol';
import { registerAdminRoutes } from './admin/routes';
import { requireAdmin } from './admin/common';
import { AdminEventHub } from './admin/event-hub';
import type { AppContext } from './app-context';
import { DatafileCache } from './domain/served-datafile-cache';
import { generateAdminToken } from './domain/keys';
import { DatafileValidator } from './domain/validator';
import { answerClientError } from './http/client-error';
import { createDashboardHandler } from './http/dashboard';
import { createRequestListener } from './http/dispatch';
import { sendError } from './http/respond';
import { AvsbError } from './errors';
import { Router } from './http/router';
import type { Logger } from './logger';
import { quietLogger } from './logger';
import { registerSdkRoutes } from './sdk/routes';
import { StreamHub } from './sdk/stream-hub';
import { seedExampleProject } from './seed';
import { SqliteStore } from './storage/sqlite-store';
import type { Store } from './storage/store';

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** The SQLite file; `./avsb.db` by default. Ignored when `store` is given. */
  readonly dbPath?: string;
  /** A store to serve instead of opening `dbPath` (closed by `close()` all the same). */
  readonly store?: Store;
  /** The interface to listen on; `127.0.0.1` by default. */
  readonly host?: string;
  /** The port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** The admin API token; a random one when omitted (read it from the result). */
  readonly adminToken?: string;
  /** Interval of the `: heartbeat` comments on streams; 15 000 ms by default. */
  readonly heartbeatMs?: number;
  /**
   * How long a stream's client may go without reading any of what waits for
   * it before the server drops the connection; 30 000 ms by default. The
   * client reconnects and gets the whole datafile.
   */
  readonly streamStallMs?: number;
  /** Where to log; warnings and errors to stderr by default. Never given keys or tokens. */
  readonly logger?: Logger;
  /** Seed the example project `shop` into an empty database. */
  readonly seed?: boolean;
}

/** A running server. */
export interface RunningServer {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  /** The admin API token in force. */
  readonly adminToken: string;
  /** The store it serves (for tests and embedding). */
  readonly store: Store;
  /** Counters of the open streams, for monitoring (see {@link ServerMetrics}). */
  metrics(): ServerMetrics;
  /** Ends all streams, stops listening and closes the store. */
  close(): Promise<void>;
}

/** What {@link RunningServer.metrics} reports. */
export interface ServerMetrics {
  /** Open SDK streams (`/sdk/v1/stream`). */
  readonly sdkStreams: number;
  /** Bytes written to SDK streams that their clients have not taken yet (bounded: about one datafile per slow client). */
  readonly sdkStreamQueuedBytes: number;
  /** SDK streams dropped since start because their client stayed behind. */
  readonly sdkStreamSlowDisconnects: number;
  /** Open live event streams of the dashboard. */
  readonly eventStreams: number;
  /** Bytes written to live event streams that their clients have not taken yet. */
  readonly eventStreamQueuedBytes: number;
  /** Live event streams dropped since start because their client stayed behind. */
  readonly eventStreamSlowDisconnects: number;
  /** Pages of up to 1,000 events read from the store for live event streams since start. */
  readonly eventStreamPagesRead: number;
}

/**
 * Starts the A vs B server: the SDK protocol under `/sdk/v1`, the admin API
 * under `/api/v1` and the dashboard at `/`, over one SQLite file.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  checkAdminToken(options.adminToken);
  const logger = options.logger ?? quietLogger;
  const store = options.store ?? new SqliteStore(options.dbPath ?? './avsb.db', { logger });
  try {
    if (store.readonly === true) {
      logger.warn('the database is open read-only: reads are served, every change and event batch answers 503');
    } else if (options.seed && (await seedExampleProject(store))) logger.info('seeded the example project "shop"');
    const sseOptions = { heartbeatMs: options.heartbeatMs ?? STREAM_HEARTBEAT_MS, stallMs: options.streamStallMs ?? 30_000 };
    const adminToken = options.adminToken ?? generateAdminToken();
    const cache = new DatafileCache(store);
    const app: AppContext = {
      store,
      cache,
      validator: await DatafileValidator.create(),
      streams: new StreamHub(store.changes, cache, logger, sseOptions),
      adminEvents: new AdminEventHub(store.changes, store, logger, sseOptions),
      logger,
      adminToken,
    };
    const router = new Router();
    registerSdkRoutes(router, app);
    registerAdminRoutes(router, app);
    const server = createServer(
      { keepAliveTimeout: 65_000 },
      createRequestListener({
        router,
        dashboard: createDashboardHandler(),
        authorizeAdmin: (ctx) => requireAdmin(ctx, adminToken),
        logger,
      }),
    );
    server.on('clientError', answerClientError);
    // Node answers an Expect other than 100-continue with an empty 417 of its own
    server.on('checkExpectation', (req, res) => {
      res.setHeader('Connection', 'close');
      sendError(res, new AvsbError('expectation_failed', `Expect: ${String(req.headers.expect)} is not supported (only 100-continue is)`));
    });
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    logger.info(`listening on ${url}`);
    let closing: Promise<void> | null = null;
    const close = () => {
      closing ??= (async () => {
        app.streams.close();
        app.adminEvents.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await store.close();
        logger.info('server closed');
      })();
      return closing;
    };
    const metrics = (): ServerMetrics => ({
      sdkStreams: app.streams.size,
      sdkStreamQueuedBytes: app.streams.queuedBytes,
      sdkStreamSlowDisconnects: app.streams.slowDisconnects,
      eventStreams: app.adminEvents.size,
      eventStreamQueuedBytes: app.adminEvents.queuedBytes,
      eventStreamSlowDisconnects: app.adminEvents.slowDisconnects,
      eventStreamPagesRead: app.adminEvents.pagesRead,
    });
    return { url, port, adminToken, store, metrics, close };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Shorter chosen tokens are refused: anyone who can reach the admin API could guess them (a made-up one has 40 random characters). */
const MIN_ADMIN_TOKEN_LENGTH = 16;

/** A chosen admin token must be one `Authorization: Bearer …` carries as given, and not a guessable one; never quoted. */
function checkAdminToken(token: unknown): void {
  if (token === undefined) return;
  if (typeof token !== 'string' || token.length < MIN_ADMIN_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) {
    throw new AvsbError(
      'invalid_request',
      `adminToken must be at least ${MIN_ADMIN_TOKEN_LENGTH} printable characters without spaces (leave it out for a random one)`,
    );
  }
}
