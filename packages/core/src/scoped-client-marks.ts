/** Exposures a scoped client remembers under a mark: a held client reads a few flags in experiments. */
const MAX_MARKED = 8;

/**
 * The exposures a scoped client recorded under its recorder's last mark
 * (`EventRecorder.recordExposure` returns it, `repeatExposure` takes it):
 * a later read in an experiment that served one of them is only counted.
 * Made once a client has read more flags in experiments than most requests
 * do, so that a request's client stays as small as before.
 */
export class ExposureMarks {
  /** The recorder's mark the exposures were recorded under (−1: none yet). */
  mark = -1;
  /** Flag key, variation, …: its first `_length` places; reused when the mark changes (no new garbage per window). */
  private readonly _exposed: (string | number)[] = [];
  private _length = 0;

  /** Whether `key` served `variation` under {@link mark}. */
  has(key: string, variation: number): boolean {
    const exposed = this._exposed;
    for (let at = 0; at < this._length; at += 2) if (exposed[at] === key) return exposed[at + 1] === variation;
    return false;
  }

  /** Notes that `key` served `variation` in a read recorded under `mark` (a new mark forgets the others). */
  note(mark: number, key: string, variation: number): void {
    if (mark !== this.mark) {
      this.mark = mark;
      this._length = 0;
    }
    const exposed = this._exposed;
    let at = 0;
    while (at < this._length && exposed[at] !== key) at += 2;
    if (at === this._length) {
      if (at >= 2 * MAX_MARKED) return;
      this._length = at + 2;
    }
    exposed[at] = key;
    exposed[at + 1] = variation;
  }
}
