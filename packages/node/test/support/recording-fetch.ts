// Test support: the SDK's own fetch (over node:http), noting what the SDK did in the order it did it. A request the SDK
// must not make is seen the moment it calls fetch, not once it (maybe) reached a server.
import type { FetchLike } from '@avsb/core';
import { nodeHttpFetch } from '../../src/node-http-fetch';

/**
 * The SDK's own fetch, writing into `did` what the SDK did, in order: each request as it makes it, and `put stream`
 * when it reads a stream's first put (the next thing it does is to serve it); with `heartbeats`, `heartbeat` for each
 * heartbeat comment it reads (the connection it came on was still up).
 */
export function recordingFetch(did: string[], { heartbeats = false } = {}): FetchLike {
  return async (url, init) => {
    const path = new URL(url).pathname;
    did.push(`fetch ${path}`);
    const response = await nodeHttpFetch(url, init);
    const body = response.body;
    if (path !== '/sdk/v1/stream' || !response.ok || body === null) return response;
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let put = false;
    const read = async () => {
      const chunk = await reader.read();
      if (put && !heartbeats) return chunk;
      text += decoder.decode(chunk.value ?? new Uint8Array(), { stream: true });
      // whole events and comments only: what is after the last blank line waits for the next chunk
      const end = text.lastIndexOf('\n\n');
      if (end < 0) return chunk;
      for (const block of text.slice(0, end).split('\n\n')) {
        if (!put && block.startsWith('event: put')) {
          put = true;
          did.push('put stream');
        } else if (heartbeats && block.startsWith(': heartbeat')) {
          did.push('heartbeat');
        }
      }
      text = text.slice(end + 2);
      return chunk;
    };
    return { ...response, body: { getReader: () => ({ read, cancel: (reason?: unknown) => reader.cancel(reason) }) } };
  };
}
