import type { ContextKeys, ExposureEvent } from './wire';

/**
 * An exposure as the pipeline builds it: validated primitives in the wire
 * order, so its JSON can be written without `JSON.stringify` walking it
 * ({@link exposureJson}). `JSON.stringify` of it gives the same text (an
 * `undefined` reason or revision is left out either way).
 */
export class PipelineExposure implements ExposureEvent {
  readonly kind: 'exposure';
  readonly time: number;
  readonly contextKeys: ContextKeys;
  readonly flag: string;
  readonly variation: number | null;
  readonly inExperiment: boolean;
  readonly reason: string | undefined;
  readonly revision: number | undefined;

  // assigned one by one: the members' order is the wire's, whatever the compiler does with class fields
  constructor(
    time: number,
    contextKeys: ContextKeys,
    flag: string,
    variation: number | null,
    inExperiment: boolean,
    reason: string | undefined,
    revision: number | undefined,
  ) {
    this.kind = 'exposure';
    this.time = time;
    this.contextKeys = contextKeys;
    this.flag = flag;
    this.variation = variation;
    this.inExperiment = inExperiment;
    this.reason = reason;
    this.revision = revision;
  }
}

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
 * `JSON.stringify(event)` of a {@link PipelineExposure}, written from its
 * parts: the time is a non-negative integer, the variation an integer or
 * `null`, the revision a safe integer, so their `String` is their JSON.
 * (About half the time of `JSON.stringify`, which was most of a flush.)
 */
export function exposureJson(event: PipelineExposure): string {
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
