import type { FsChange } from '../model/write-event.js';

/** Docker's own files and kernel trees: never the app's writes. */
const NOISE_EXACT = new Set(['/etc/hosts', '/etc/hostname', '/etc/resolv.conf', '/.dockerenv', '/etc/mtab']);
const NOISE_TREES = ['/proc', '/sys', '/dev'];

export function isNoisePath(path: string): boolean {
  if (NOISE_EXACT.has(path)) return true;
  return NOISE_TREES.some((t) => path === t || path.startsWith(`${t}/`));
}

export function isUnder(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/**
 * Merges the diff taken while the app ran with the one taken after it stopped. A path added
 * in the first and gone from the second was transient (a pid file removed at shutdown): it
 * is kept as added, then deleted, so the analysis sees the write.
 */
export function mergeDiffs(running: readonly FsChange[], stopped: readonly FsChange[]): { change: FsChange; transient: boolean }[] {
  const final = new Map(stopped.map((c) => [c.path, c]));
  const out = new Map<string, { change: FsChange; transient: boolean }>();
  for (const c of stopped) out.set(c.path, { change: c, transient: false });
  for (const c of running) {
    if (final.has(c.path)) continue;
    // Seen while running, gone after stop: created then removed (transient), or a modified shipped file later deleted.
    out.set(c.path, { change: c, transient: c.kind === 'added' });
  }
  return [...out.values()].sort((a, b) => (a.change.path < b.change.path ? -1 : a.change.path > b.change.path ? 1 : 0));
}

/** True when some other changed path lies below this one (so it is a directory). */
export function hasChangedChild(path: string, sortedPaths: readonly string[]): boolean {
  const prefix = path === '/' ? '/' : `${path}/`;
  return sortedPaths.some((p) => p.startsWith(prefix) && p !== path);
}
