import { RoProfileError } from '../errors.js';

/** What an engine wait takes when the caller names no bound. */
export const DEFAULT_WAIT_MS = 60_000;
/** The same for reads that grow with what the app wrote (a diff, a directory's archive): a million entries take a while. */
export const BULK_WAIT_MS = 300_000;

/**
 * A wait of the engine: its signal aborts when the run is interrupted or `timeoutMs` passes, and
 * `why()` says which, as the error the caller throws. One per call, so nothing waits forever and
 * the first Ctrl-C ends any wait.
 */
export function deadline(op: string, run: AbortSignal | undefined, timeoutMs: number | undefined): { readonly signal: AbortSignal; why(cause?: unknown): RoProfileError; done(): void } {
  const ms = timeoutMs ?? DEFAULT_WAIT_MS;
  const timer = new AbortController();
  const t = setTimeout(() => timer.abort(), ms);
  t.unref?.();
  const signal = run ? AbortSignal.any([run, timer.signal]) : timer.signal;
  return {
    signal,
    why(cause) {
      if (run?.aborted) return new RoProfileError('INTERRUPTED', `Interrupted during ${op}`, { cause });
      return new RoProfileError('DOCKER_UNAVAILABLE', `The Docker engine did not finish ${op} within ${Math.round(ms / 1000)} s`, {
        hint: 'The engine is overloaded or stuck: check `docker info`, then retry.',
        details: { timedOut: 'true', op },
        cause,
      });
    },
    done: () => clearTimeout(t),
  };
}
