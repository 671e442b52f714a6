import type { Datafile, FlagDefinition, SegmentDefinition } from './datafile';

/** The names of the events of `GET /sdk/v1/stream` (PROTOCOL.md, "Stream"). */
export type StreamEventName = 'put' | 'patch' | 'delete';

/** `event: put`: the whole datafile, first on every connection. */
export interface PutMessage {
  datafile: Datafile;
}

/** `event: patch`: one flag or segment replaced or added, at the next revision. */
export interface PatchMessage {
  revision: number;
  kind: 'flag' | 'segment';
  key: string;
  value: FlagDefinition | SegmentDefinition;
}

/** `event: delete`: one flag or segment removed, at the next revision. */
export interface DeleteMessage {
  revision: number;
  kind: 'flag' | 'segment';
  key: string;
}

/** The data of each stream event by name. */
export interface StreamMessages {
  put: PutMessage;
  patch: PatchMessage;
  delete: DeleteMessage;
}

/** A comment line sent every this many milliseconds keeps proxies from closing the stream. */
export const STREAM_HEARTBEAT_MS = 15_000;

/** A client that hears nothing (not even a heartbeat) for this long reconnects. */
export const STREAM_SILENCE_MS = 45_000;
