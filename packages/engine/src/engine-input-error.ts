/** A datafile or context the engine refused; `message` says where and why. */
export class EngineInputError extends Error {
  override readonly name = 'EngineInputError';
}
