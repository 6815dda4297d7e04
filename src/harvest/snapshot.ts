import type { FsChange } from '../model/write-event.js';
import type { Engine } from '../runtime/engine.js';
import { isSystemTree, isUnder } from '../analyze/paths.js';
import { isNoisePath, parentOf } from './changes.js';
import { listDir, listingScope, type DirListing } from './listing.js';

/**
 * One look at the container: its diff and the directories that matter, with their entries (a
 * directory inside another listed one has its entries in that one's listing).
 */
export interface Snapshot {
  readonly changes: readonly FsChange[];
  readonly listings: ReadonlyMap<string, DirListing>;
}

/**
 * The directories to read for one snapshot: for a path the app created, the parent of the
 * topmost created directory (that parent exists in the image); for a modified directory with
 * no changed child (a file created and removed inside), the directory itself; else the
 * parent. System trees are never read whole: they never become mounts.
 */
export function writeDirs(
  changes: readonly FsChange[],
  ignore: (p: string) => boolean,
  isDir: (path: string) => boolean,
  leaves: ReadonlySet<string> = new Set(modifiedLeaves(changes, ignore)),
): string[] {
  const added = new Set<string>();
  for (const c of changes) if (c.kind === 'added') added.add(c.path);
  // The parent of the topmost created path, memoised per created directory.
  const topParent = new Map<string, string>();
  const parentOfTop = (p: string): string => {
    const parent = parentOf(p);
    if (parent === '/' || !added.has(parent)) return parent;
    let hit = topParent.get(parent);
    if (hit === undefined) {
      hit = parentOfTop(parent);
      topParent.set(parent, hit);
    }
    return hit;
  };
  const dirs = new Set<string>();
  for (const c of changes) {
    if (c.kind === 'modified' && !leaves.has(c.path)) continue;
    if (ignore(c.path) || isNoisePath(c.path)) continue;
    if (c.kind === 'modified' && isDir(c.path)) dirs.add(c.path);
    else dirs.add(parentOfTop(c.path));
  }
  return [...dirs].filter((d) => !isSystemTree(d)).sort();
}

/** Modified paths with no changed path below them: file or directory, only a stat can tell. */
export function modifiedLeaves(changes: readonly FsChange[], ignore: (p: string) => boolean): string[] {
  const withChild = new Set<string>();
  for (const c of changes) for (let a = parentOf(c.path); a !== '/' && !withChild.has(a); a = parentOf(a)) withChild.add(a);
  return changes
    .filter((c) => c.kind === 'modified' && !withChild.has(c.path) && !ignore(c.path) && !isNoisePath(c.path))
    .map((c) => c.path);
}

/**
 * Reads the diff's directories (writeDirs), each streamed whole and kept to what the analysis
 * reads (listingScope). `alsoDirs`: directories a mount may be planned at whatever the writes
 * below them (--persist, --ephemeral, a profile's hints), read when they exist: a mount above
 * the written directories takes its owner, mode and shipped entries from them, not from the
 * runtime's defaults.
 */
export async function takeSnapshot(
  engine: Engine,
  id: string,
  changes: readonly FsChange[],
  ignore: (p: string) => boolean,
  alsoDirs: readonly string[] = [],
): Promise<Snapshot> {
  const listings = new Map<string, DirListing>();
  const dirLeaves = new Set<string>();
  const leaves = modifiedLeaves(changes, ignore);
  for (const p of leaves) {
    if ((await engine.statPath(id, p))?.type === 'dir') dirLeaves.add(p);
  }
  const scope = listingScope(changes);
  const read: string[] = [];
  const list = async (dir: string) => {
    const within = readWithin(dir, read, scope);
    listings.set(dir, within ? { entries: new Map() } : await listDir(engine, id, dir, scope));
    if (!within) read.push(dir);
  };
  for (const dir of writeDirs(changes, ignore, (p) => dirLeaves.has(p), new Set(leaves))) await list(dir);
  for (const dir of [...new Set(alsoDirs)].sort()) {
    if (listings.has(dir) || isSystemTree(dir) || (await engine.statPath(id, dir))?.type !== 'dir') continue;
    await list(dir);
  }
  return { changes, listings };
}

/**
 * Whether a directory's listing is already in one read before: a directory of the scope inside
 * a listed one is kept there whole (itself, and all its own listing would keep), so it is not
 * read again; its listing is left empty and it still counts as listed.
 */
export function readWithin(dir: string, read: readonly string[], scope: ReadonlySet<string>): boolean {
  return scope.has(dir) && read.some((r) => isUnder(dir, r));
}
