import { AvsbEngine } from '@avsb/engine';

/**
 * Validates datafiles with the real engine: whatever the server would serve
 * must load in `AvsbEngine`, so no SDK is ever handed a datafile it refuses.
 */
export class DatafileValidator {
  private constructor(private readonly engine: AvsbEngine) {}

  /** Compiles the engine (once per validator). */
  static async create(): Promise<DatafileValidator> {
    return new DatafileValidator(await AvsbEngine.create());
  }

  /** Null when the engine accepts the datafile, else its message with the JSON path. */
  check(datafile: object): string | null {
    const result = this.engine.load(datafile);
    return result.ok ? null : result.error;
  }
}

let shared: Promise<DatafileValidator> | null = null;

/** A validator shared by everything in this process. */
export function sharedValidator(): Promise<DatafileValidator> {
  shared ??= DatafileValidator.create();
  return shared;
}

/**
 * Makes an engine message about item `index` of `list` relative to that item
 * (`flags[3].rules[0].op: …` → `rules[0].op: …`); messages about other
 * items are returned unchanged.
 */
export function relativeMessage(message: string, list: 'flags' | 'segments', index: number): string {
  const prefix = `${list}[${index}]`;
  if (message.startsWith(`${prefix}.`)) return message.slice(prefix.length + 1);
  return message;
}
