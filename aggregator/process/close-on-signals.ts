/**
 * How an aggregator process (`npm run union -- leader` / `helper`) ends: on the first SIGINT or
 * SIGTERM it runs `close` once (the leader lets its job in flight finish) and exits 0, or 1 with
 * the error if closing failed.
 */
export function closeOnSignals(close: () => Promise<void>): void {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
