import type { PageEngine } from './engine';
import type { WasmModule } from './wasm-types';

/**
 * Whether `engine` runs the evaluator (`avsb-evaluator.wasm`: compiled
 * datafiles, `loadCompiled`) rather than the full engine (JSON, `load`),
 * told by its exports.
 */
export function isEvaluator(engine: PageEngine): boolean {
  return typeof engine._x.avsb_load !== 'function';
}

/**
 * Runs `engine` on another compiled `.wasm` from now on (a page on the
 * evaluator whose service answers JSON datafiles switches to the full
 * engine): a new instance of `module` with every live context restored
 * under its handle. The datafile is restored only when the new binary can
 * read it (not an evaluator's compiled datafile on the full engine): load
 * the next one. Not counted as a fault.
 */
export function useModule(engine: PageEngine, module: WasmModule): void {
  engine._module = module;
  // a rebuild is what a trap does: the same restoring, without the count
  engine._recover();
  engine._faults--;
}
