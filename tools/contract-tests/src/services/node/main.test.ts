import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { datafile } from '../../harness/datafiles';
import { MockService } from '../../harness/mock-service';
import { TestService } from '../../harness/test-service';

const PROGRAM = fileURLToPath(new URL('../../../dist/node-service.js', import.meta.url));

it('runs as its own process: prints its URL, answers the protocol and exits on DELETE /', async () => {
  expect(existsSync(PROGRAM), `${PROGRAM} is missing: pnpm --filter @avsb/contract-tests build`).toBe(true);
  const child = spawn(process.execPath, [PROGRAM, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const mock = await MockService.start();
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once('exit', () => reject(new Error(`the service exited before listening: ${out}`)));
    });
    // the path an SDK in another language takes: the harness only knows the URL
    const service = await TestService.connect(url);
    expect(service.info.sdk.name).toBe('@avsb/node');
    mock.datafile = datafile(12);
    const client = await service.createClient({ credential: 'srv-child-process', baseUri: mock.url, events: null });
    expect(await client.waitForReady(5_000)).toEqual({ ready: true, revision: 12 });
    const stop = await fetch(url, { method: 'DELETE' });
    expect(stop.status).toBe(204);
    expect(await exited).toBe(0);
    // closing the client ended its stream
    await mock.waitFor(() => mock.streams[0]!.endedAt !== null, 'the stream to end');
  } finally {
    child.kill();
    await mock.close();
  }
});
