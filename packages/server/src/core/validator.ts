import { AvsbEngine } from '@avsb/engine';

/**
 * Validates datafiles with the real engine: whatever the server would serve
 * must load in `AvsbEngine`, so no SDK is ever handed a datafile it refuses.
 */
export class DatafileValidator {
  private constructor(private readonly _engine: AvsbEngine) {}

  /** Compiles the engine (once per validator). */
  static async create(): Promise<DatafileValidator> {
    return new DatafileValidator(await AvsbEngine.create());
  }

  /**
   * Null when the engine accepts the datafile without warnings and browsers
   * can evaluate its client-side flags, else the message with the JSON path.
   * SDKs load a datafile with warnings (a clause that never matches, a
   * malformed flag), but nobody should save one: its first problem is
   * reported, with how many more there are.
   */
  check(datafile: object): string | null {
    const result = this._engine.load(datafile);
    if (!result.ok) return result.error;
    const first = result.warnings[0];
    if (first === undefined) return clientPrerequisiteProblem(datafile);
    const more = result.warningCount - 1;
    return `${first.path}: ${first.message}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}`;
  }
}

type FlagShape = { key?: unknown; clientSide?: unknown; prerequisites?: { key?: unknown }[] };

/**
 * A client key's datafile holds only client-side flags, so a client-side
 * flag whose prerequisite is server-only would fail that prerequisite in
 * browsers while passing on servers: users would see different variations.
 */
function clientPrerequisiteProblem(datafile: object): string | null {
  const flags = (datafile as { flags?: FlagShape[] }).flags ?? [];
  const clientSide = new Map(flags.map((f) => [f.key, f.clientSide === true]));
  for (const [i, flag] of flags.entries()) {
    if (flag.clientSide !== true) continue;
    for (const [j, prerequisite] of (flag.prerequisites ?? []).entries()) {
      if (clientSide.get(prerequisite.key) === false) {
        return (
          `flags[${i}].prerequisites[${j}].key: "${String(prerequisite.key)}" is not client-side, so browsers ` +
          'could not evaluate this flag as servers do: mark it clientSide, or remove the prerequisite'
        );
      }
    }
  }
  return null;
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
