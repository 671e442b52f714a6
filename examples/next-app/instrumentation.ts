// Runs once when the server starts. With NEXT_MANUAL_SIG_HANDLE=true (the start script sets it) Next leaves SIGTERM
// and SIGINT to the app: the A vs B server flushes its buffered events before the process exits.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || !process.env.NEXT_MANUAL_SIG_HANDLE) return;
  const { avsb } = await import('./lib/avsb');
  const shutdown = (): void => {
    avsb.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
