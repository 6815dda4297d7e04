import type { Mount } from '../model/mount-plan.js';
import type { WriteEvent } from '../model/write-event.js';
import { compareStrings, isUnder, parentOf } from '../analyze/paths.js';
import { isLogPath } from '../analyze/classify.js';
import type { ListedEntry } from './archive.js';

/**
 * Trees whose files are scratch by convention, whatever a restart shows: temp, runtime and cache
 * directories (FHS), and any directory named like one.
 */
const SCRATCH = [/^\/(tmp|var\/tmp|run|var\/run|dev\/shm|var\/cache)(\/|$)/, /\/(te?mp|cache|caches|\.cache)(\/|$)/i];

export function isScratchTree(path: string): boolean {
  return SCRATCH.some((re) => re.test(path));
}

/**
 * Mounts a restart of the writable run can tell about: planned as tmpfs, outside the scratch
 * trees, holding files the app created and kept at stop (not its logs). Those files, by mount.
 */
export function restartCandidates(mounts: readonly Mount[], events: readonly WriteEvent[], stopped: ReadonlyMap<string, ListedEntry>, ephemeral: readonly string[] = []): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of mounts) {
    // --ephemeral has the last word: nothing to ask a restart about.
    if (m.kind !== 'tmpfs' || isScratchTree(m.path) || ephemeral.some((p) => isUnder(m.path, p))) continue;
    const kept = new Set<string>();
    for (const e of events) {
      if (e.op !== 'add' || !isUnder(e.realPath, m.path) || isLogPath(e.realPath)) continue;
      if (stopped.get(e.realPath)?.type === 'file') kept.add(e.realPath);
    }
    if (kept.size > 0) out.set(m.path, [...kept].sort(compareStrings));
  }
  return out;
}

/**
 * What a second start of the writable run (same container, same files) says about each
 * candidate: the app carries state from one start to the next when a file the first run left
 * was appended to (larger, its first bytes unchanged) rather than rewritten, or when the second
 * start added files beside the ones it kept. How the files grew while the first run ran (the
 * diff taken while it ran against the one after it stopped) is quoted too. Pure.
 */
export function stateAcrossRestart(o: {
  readonly candidates: ReadonlyMap<string, readonly string[]>;
  /** Entries after the first run stopped, by absolute path. */
  readonly stopped: ReadonlyMap<string, ListedEntry>;
  /** Entries while the first run ran. */
  readonly running: ReadonlyMap<string, ListedEntry>;
  /** Entries after the second start, under each candidate mount. */
  readonly restarted: ReadonlyMap<string, ListedEntry>;
}): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [mount, kept] of o.candidates) {
    const appended: string[] = [];
    const grew: string[] = [];
    for (const p of kept) {
      const before = o.stopped.get(p);
      const after = o.restarted.get(p);
      const live = o.running.get(p);
      if (before && live && live.type === 'file' && before.size > live.size) grew.push(`${p} grew from ${live.size} to ${before.size} bytes while the first run ran`);
      if (before && after && after.type === 'file' && after.size > before.size && samePrefix(before.head, after.head)) {
        appended.push(`${p} was appended to on the second start (${before.size} → ${after.size} bytes, its first bytes unchanged), not rewritten`);
      }
    }
    const keptDirs = new Set(kept.filter((p) => o.restarted.has(p)).map(parentOf));
    const added = [...o.restarted]
      .filter(([p, e]) => e.type === 'file' && isUnder(p, mount) && !o.stopped.has(p) && !isLogPath(p) && keptDirs.has(parentOf(p)))
      .map(([p]) => p)
      .sort(compareStrings);
    const beside = added.length > 0 ? [`the second start added ${added.slice(0, 5).join(', ')}${added.length > 5 ? ` and ${added.length - 5} more` : ''} beside what the first run left, which it kept`] : [];
    if (appended.length === 0 && beside.length === 0) continue;
    out.set(mount, [...appended.slice(0, 5), ...beside, ...grew.slice(0, 3)]);
  }
  return out;
}

/** The shorter head is a prefix of the longer (both are the first bytes of the file). */
function samePrefix(a: Buffer | undefined, b: Buffer | undefined): boolean {
  if (!a || !b) return false;
  const n = Math.min(a.length, b.length);
  return a.subarray(0, n).equals(b.subarray(0, n));
}
