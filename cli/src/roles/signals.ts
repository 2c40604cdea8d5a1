/**
 * A Ctrl-C reaches a process started by `pnpm start` more than once: the terminal signals the
 * whole process group, and pnpm and tsx may pass it on. Signals this close to the first one are
 * the same Ctrl-C, not an operator's second.
 */
const SAME_CTRL_C_MS = 1000;

/**
 * Stops on the first SIGINT or SIGTERM and exits 0 (1 when stopping fails or outlasts
 * `boundMs`); a second signal, a second or more later, exits at once with 130, for an operator
 * who does not want to wait.
 */
export function exitOnSignal(
  stop: () => Promise<void>,
  boundMs: number,
  onSignal?: (signal: NodeJS.Signals) => void,
): void {
  let firstAt: number | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt >= SAME_CTRL_C_MS) process.exit(130);
      return;
    }
    firstAt = Date.now();
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
