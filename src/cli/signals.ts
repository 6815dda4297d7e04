/**
 * The first SIGINT/SIGTERM aborts the run, so `finally` blocks remove what it created; a second
 * one exits at once (130) after naming what is left, for `ro-profile gc` to collect.
 */
export function installSignalHandlers(options: {
  readonly controller: AbortController;
  readonly leftovers: () => string[];
  readonly write: (line: string) => void;
}): () => void {
  let count = 0;
  const handler = (sig: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      options.write(`ro-profile: ${sig} received, cleaning up (press Ctrl-C again to exit at once)`);
      options.controller.abort();
      return;
    }
    const left = options.leftovers();
    options.write(
      left.length > 0
        ? `ro-profile: exiting now; left behind: ${left.join(', ')} (remove with "ro-profile gc")`
        : 'ro-profile: exiting now',
    );
    process.exit(130);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
