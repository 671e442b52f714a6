// Runs once when the server starts, in each runtime: the shutdown handling is Node's only (instrumentation-node.ts),
// imported here so that the edge bundle never sees `process.once`.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./instrumentation-node');
}
