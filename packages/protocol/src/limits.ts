/**
 * The limits of protocol v1 (PROTOCOL.md, SPEC.md §10). The server enforces
 * them and the SDKs stay within them; both import them from here.
 */

/** At most this many events in one `POST /sdk/v1/events` batch. */
export const MAX_EVENTS_PER_BATCH = 10_000;

/** At most this many bytes (UTF-8) in one event batch's body: 1 MiB. */
export const MAX_BATCH_BYTES = 1024 * 1024;

/** A batch id is 1 to this many characters. */
export const MAX_BATCH_ID_LENGTH = 64;

/** A flag key or custom event key in an event is 1 to this many characters. */
export const MAX_EVENT_NAME_LENGTH = 256;

/** JSON bodies (datafiles, batches, project documents, contexts) nest at most this deep; the top level counts as one. */
export const MAX_JSON_DEPTH = 64;

/** The largest datafile an engine loads: 64 MiB of UTF-8. */
export const MAX_DATAFILE_BYTES = 64 * 1024 * 1024;

/** A flag or segment key in a datafile is 1 to this many bytes of UTF-8. */
export const MAX_DATAFILE_KEY_BYTES = 256;

/** A flag has 1 to this many variations. */
export const MAX_VARIATIONS = 4094;

/** Rollout weights are integers out of this total, and add up to it. */
export const TOTAL_WEIGHT = 100_000;
