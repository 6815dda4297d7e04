import type { FsChange } from '../model/write-event.js';

/** Docker's own files and kernel trees: never the app's writes. */
const NOISE_EXACT = new Set(['/etc/hosts', '/etc/hostname', '/etc/resolv.conf', '/.dockerenv', '/etc/mtab']);
const NOISE_TREES = ['/proc', '/sys', '/dev'];

export function isNoisePath(path: string): boolean {
  if (NOISE_EXACT.has(path)) return true;
  // No string built per call: this runs for every entry of the diff.
  for (const t of NOISE_TREES) if (path.startsWith(t) && (path.length === t.length || path.charCodeAt(t.length) === 47)) return true;
  return false;
}

// One definition of the path helpers, shared with the analysis.
export { isUnder, parentOf } from '../analyze/paths.js';

/**
 * Merges the diff taken while the app ran with the one taken after it stopped. A path added
 * in the first and gone from the second was transient (a pid file removed at shutdown): it
 * is kept as added, then deleted, so the analysis sees the write.
 */
export function mergeDiffs(running: readonly FsChange[], stopped: readonly FsChange[]): { change: FsChange; transient: boolean }[] {
  // A linear merge of the two path-sorted lists: the engine sends them sorted, so sorting a
  // copy is cheap, and no map of a million paths is built.
  const a = sortedByPath(stopped);
  const b = sortedByPath(running);
  const out: { change: FsChange; transient: boolean }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x !== undefined && (y === undefined || x.path <= y.path)) {
      if (y !== undefined && x.path === y.path) j++;
      // Later duplicates of a path in one list carry nothing new.
      if (out.length === 0 || out[out.length - 1]!.change.path !== x.path) out.push({ change: x, transient: false });
      i++;
    } else if (y !== undefined) {
      // Seen while running, gone after stop: created then removed (transient), or a modified shipped file later deleted.
      if (out.length === 0 || out[out.length - 1]!.change.path !== y.path) out.push({ change: y, transient: y.kind === 'added' });
      j++;
    }
  }
  return out;
}

function sortedByPath(xs: readonly FsChange[]): FsChange[] {
  for (let k = 1; k < xs.length; k++) {
    if (xs[k - 1]!.path > xs[k]!.path) return [...xs].sort((p, q) => (p.path < q.path ? -1 : p.path > q.path ? 1 : 0));
  }
  return xs as FsChange[];
}
