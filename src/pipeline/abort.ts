import { RoProfileError } from '../errors.js';

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new RoProfileError('INTERRUPTED', 'Interrupted');
}

/** Sleeps, but wakes (and throws INTERRUPTED) when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new RoProfileError('INTERRUPTED', 'Interrupted'));
      return;
    }
    const onAbort = () => {
      clearTimeout(t);
      reject(new RoProfileError('INTERRUPTED', 'Interrupted'));
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
