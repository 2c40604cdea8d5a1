/**
 * Stops on the first SIGINT or SIGTERM and exits 0 (1 when stopping fails or outlasts
 * `boundMs`); a second signal exits at once with 130, for an operator who does not want to wait.
 */
export function exitOnSignal(
  stop: () => Promise<void>,
  boundMs: number,
  onSignal?: (signal: NodeJS.Signals) => void,
): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(130);
    stopping = true;
    onSignal?.(signal);
    setTimeout(() => process.exit(1), boundMs).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(
          `error while stopping: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
