import type { DeleteUpdate, PatchUpdate } from '../datafile-format';

/** One server-sent event of the stream, read: what to apply, or why the stream is broken. */
export type StreamEvent =
  /** `text`: the event data when it is the datafile itself (no envelope), for the engine to read as is. */
  | { readonly kind: 'put'; readonly datafile: unknown; readonly text?: string }
  | { readonly kind: 'patch'; readonly update: PatchUpdate }
  | { readonly kind: 'delete'; readonly update: DeleteUpdate }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'ignored' };

/**
 * Reads the data of a `put`, `patch` or `delete` event (others are
 * `ignored`). Data that is not a JSON object is `invalid`: the caller treats
 * the stream as broken. `where` starts the message (`stream`).
 */
export function readStreamEvent(event: string, data: string, where: string): StreamEvent {
  if (event !== 'put' && event !== 'patch' && event !== 'delete') return { kind: 'ignored' };
  let body: unknown;
  try {
    body = JSON.parse(data);
  } catch (e) {
    return { kind: 'invalid', message: `${where}: a ${event} event is not JSON (${(e as Error).message})` };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { kind: 'invalid', message: `${where}: a ${event} event is not a JSON object` };
  }
  if (event === 'put') {
    const envelope = body as { datafile?: unknown };
    return envelope.datafile !== undefined ? { kind: 'put', datafile: envelope.datafile } : { kind: 'put', datafile: body, text: data };
  }
  return event === 'patch' ? { kind: 'patch', update: body as PatchUpdate } : { kind: 'delete', update: body as DeleteUpdate };
}
