import { isRoProfileError } from '../errors.js';
import type { ListedEntry } from '../harvest/archive.js';
import { listDir } from '../harvest/listing.js';
import type { Snapshot } from '../harvest/snapshot.js';
import { stateAcrossRestart } from '../harvest/restart-state.js';
import type { CleanupScope } from './cleanup-scope.js';
import { exercise } from './exercise.js';
import { waitReady, type ReadyOptions } from './ready.js';
import { silentReporter } from './reporter.js';

/** Attaches a tracer to the started container, when the first run was traced (its gate waits for one). */
export type RetraceStart = (id: string) => Promise<{ finish(): Promise<unknown> }>;

/**
 * The restart check: the stopped writable container started once more, on the files its first
 * run left, until ready, its probes asked again (exec steps are not repeated: they need not be
 * idempotent), then each candidate mount read and the container stopped. What changed there
 * says whether the app carries state from one start to the next (restart-state.ts). A run that
 * does not come up again tells nothing: no evidence.
 */
export async function restartCheck(o: ReadyOptions & {
  readonly scope: CleanupScope;
  readonly stopTimeoutSec: number;
  readonly candidates: ReadonlyMap<string, readonly string[]>;
  readonly running: Snapshot;
  readonly stopped: Snapshot;
  readonly retrace?: RetraceStart;
}): Promise<Map<string, string[]>> {
  const { engine, id } = o;
  await engine.startContainer(id);
  const trace = o.retrace ? await o.retrace(id) : undefined;
  const restarted = new Map<string, ListedEntry>();
  try {
    try {
      await waitReady({ engine, engineInfo: o.engineInfo, id, image: o.image, run: o.run, signal: o.signal });
    } catch (e) {
      if (isRoProfileError(e) && (e.code === 'CONTAINER_FAILED' || e.code === 'NOT_READY')) return new Map();
      throw e;
    }
    // This is a restart already: a profile's restart steps are left out (their tracer would be another).
    const steps = o.run.exercise.steps?.filter((s) => s.kind !== 'restart');
    const run = { ...o.run, exercise: { ...o.run.exercise, execs: [], durationMs: 0, ...(steps ? { steps } : {}) } };
    await exercise({ engine, engineInfo: o.engineInfo, id, imageRef: o.image.ref, run, reporter: silentReporter, signal: o.signal, tolerant: true });
    for (const mount of o.candidates.keys()) {
      const l = await listDir(engine, id, mount);
      for (const [p, e] of l.entries) restarted.set(p, e);
    }
  } finally {
    if ((await engine.inspectContainer(id)).running) await engine.stopContainer(id, o.stopTimeoutSec);
    await trace?.finish();
  }
  return stateAcrossRestart({ candidates: o.candidates, stopped: entriesOf(o.stopped), running: entriesOf(o.running), restarted });
}

/** Every entry of a snapshot's listings, by absolute path. */
export function entriesOf(s: Snapshot): Map<string, ListedEntry> {
  const out = new Map<string, ListedEntry>();
  for (const l of s.listings.values()) for (const [p, e] of l.entries) out.set(p, e);
  return out;
}
