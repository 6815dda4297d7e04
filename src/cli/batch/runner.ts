import pLimit from 'p-limit';
import { RoProfileError } from '../../errors.js';
import { entryErrorOf, type BatchEntry } from './batch-entry.js';

/** Profiles one image into its directory and says what became of it; its own failure is a failed entry, not a throw. */
export type ProfileOne = (entry: BatchEntry, signal: AbortSignal) => Promise<BatchEntry>;

export interface RunBatchOptions {
  /** Every image in the order given: pending ones run, the others (resumed, failed before start) are kept as they are. */
  readonly entries: readonly BatchEntry[];
  readonly concurrency: number;
  readonly signal: AbortSignal;
  readonly profileOne: ProfileOne;
  /** Called with all entries whenever one changes (started, finished), for the partial summary. */
  readonly onChange?: (entries: readonly BatchEntry[]) => void;
}

/**
 * Runs the pending images, `concurrency` at a time, in the order given. One image's failure
 * (even a throw) never stops the others; once `signal` aborts, no image starts (each left is
 * not-run) and those in flight end as their profile's cleanup lets them.
 */
export async function runBatch(o: RunBatchOptions): Promise<BatchEntry[]> {
  const entries = [...o.entries];
  const limit = pLimit(o.concurrency);
  const set = (i: number, e: BatchEntry) => {
    entries[i] = e;
    o.onChange?.(entries);
  };
  const one = async (i: number) => {
    const e = entries[i]!;
    if (o.signal.aborted) return set(i, { ...e, outcome: 'not-run' });
    set(i, { ...e, outcome: 'running' });
    const started = Date.now();
    try {
      set(i, await o.profileOne(e, o.signal));
    } catch (err) {
      const interrupted = o.signal.aborted;
      const { error, exitCode } = entryErrorOf(interrupted ? new RoProfileError('INTERRUPTED', 'Interrupted') : err);
      set(i, { ...e, outcome: interrupted ? 'interrupted' : 'failed', exitCode, error, seconds: (Date.now() - started) / 1000 });
    }
  };
  await Promise.all(entries.map((e, i) => (e.outcome === 'pending' ? limit(() => one(i)) : undefined)));
  return entries;
}
