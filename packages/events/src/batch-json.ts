import { keepBatchBody, keptBatchBody } from './batch-body';
import type { EventBatch, ExposureEvent, WireEvent } from './wire';

/** Flag and reason names repeat in nearly every exposure: their JSON strings are kept (bounded: names are ≤ 256 characters). */
const quoted = new Map<string, string>();
const MAX_QUOTED = 1_000;

function quote(text: string): string {
  let json = quoted.get(text);
  if (json === undefined) {
    json = JSON.stringify(text);
    if (quoted.size < MAX_QUOTED) quoted.set(text, json);
  }
  return json;
}

/** The clock changes less often than exposures are recorded: the last time's text is kept. */
let lastTime = -1;
let lastTimeJson = '';

/**
 * `JSON.stringify(event)` of an exposure the pipeline built, written from
 * its members: `kind`, `time`, `contextKeys`, `flag`, `variation`,
 * `inExperiment`, then `reason` and `revision` when present (the order
 * `recordExposure` gives them); the time is a non-negative integer, the
 * variation an integer or `null`, the revision a safe integer, so their
 * `String` is their JSON.
 */
function exposureJson(event: ExposureEvent): string {
  const { time, reason, revision } = event;
  if (time !== lastTime) {
    lastTime = time;
    lastTimeJson = JSON.stringify(time);
  }
  let json = `{"kind":"exposure","time":${lastTimeJson},"contextKeys":${JSON.stringify(event.contextKeys)},"flag":${quote(event.flag)},"variation":${String(event.variation)},"inExperiment":${String(event.inExperiment)}`;
  if (reason !== undefined) json += `,"reason":${quote(reason)}`;
  if (revision !== undefined) json += `,"revision":${String(revision)}`;
  return `${json}}`;
}

function eventJson(event: WireEvent): string {
  return event.kind === 'exposure' ? exposureJson(event) : JSON.stringify(event);
}

/**
 * `batchBody` of a batch the pipeline sealed (or split): the same text,
 * written event by event, each exposure from its members instead of
 * `JSON.stringify` walking it (about half the time; serialising was the
 * largest part of a flush). Only for the pipeline's own batches, whose
 * members and events are in the order written here; kept for the transport
 * and every retry as `batchBody` keeps its own.
 */
export function pipelineBatchBody(batch: EventBatch): string {
  let body = keptBatchBody(batch);
  if (body !== undefined) return body;
  body = `{"batchId":${JSON.stringify(batch.batchId)},"sdk":${JSON.stringify(batch.sdk)},"events":[`;
  const { events } = batch;
  for (let i = 0; i < events.length; i++) body += i === 0 ? eventJson(events[i]!) : `,${eventJson(events[i]!)}`;
  body += ']}';
  keepBatchBody(batch, body);
  return body;
}
