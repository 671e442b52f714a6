// The A vs B service as a cold start meets it, for cold-start.ts: a real HTTP server on 127.0.0.1 that answers every
// request after a fixed delay (the network and the service, which a start-up can overlap its own work with). The
// stream's first event is the `put` of the workload's datafile (PROTOCOL.md), and the connection stays open until
// the client goes; the datafile endpoint answers the compiled document to a client that asks for it (the evaluator,
// which fetches it after the stream's put: two delays), the JSON datafile otherwise.
import { createServer, type Server } from 'node:http';
import { compiledDocument } from './cold-compiled.js';
import { avsbDatafile } from './workload.js';

export interface StartService {
  readonly baseUrl: string;
  /** Delay of every answer from now on, in ms. */
  delayMs: number;
  close(): Promise<void>;
}

export async function startService(): Promise<StartService> {
  const json = JSON.stringify(avsbDatafile());
  const put = `event: put\ndata: {"datafile":${json}}\n\n`;
  const compiled = compiledDocument('bench');
  const state = { delayMs: 0 };
  const server: Server = createServer((req, res) => {
    setTimeout(() => {
      if (req.url?.startsWith('/sdk/v1/stream')) {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        res.write(put);
      } else if (req.url?.startsWith('/sdk/v1/datafile')) {
        const asked = (req.headers.accept ?? '').includes('application/vnd.avsb.compiled-datafile');
        res.writeHead(200, { 'Content-Type': asked ? 'application/vnd.avsb.compiled-datafile; v=1' : 'application/json', ETag: asked ? '"1-c1"' : '"1"', Vary: 'Accept' });
        res.end(asked ? compiled : json);
      } else {
        res.writeHead(404).end();
      }
    }, state.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
