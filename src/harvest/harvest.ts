import type { DirFacts, FsFacts } from '../model/fs-facts.js';
import type { EntryType, FsChange, WriteEvent } from '../model/write-event.js';
import type { Engine } from '../runtime/engine.js';
import { readHeaders, type ArchiveEntry } from './archive.js';
import { isSystemTree } from '../analyze/paths.js';
import { hasChangedChild, isNoisePath, isUnder, mergeDiffs, parentOf } from './changes.js';

/** Entries read per directory; past it the listing is marked truncated and facts are partial. */
const MAX_ENTRIES_PER_DIR = 5000;

/** One look at the container: its diff and the directories that matter, with their entries. */
export interface Snapshot {
  readonly changes: readonly FsChange[];
  readonly listings: ReadonlyMap<string, DirListing>;
}

export interface DirListing {
  readonly self?: ArchiveEntry;
  /** Every entry below the directory, by absolute path. */
  readonly entries: ReadonlyMap<string, ArchiveEntry>;
  readonly truncated: boolean;
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
): string[] {
  const byPath = new Map(changes.map((c) => [c.path, c]));
  const dirs = new Set<string>();
  const leaves = new Set(modifiedLeaves(changes, ignore));
  for (const c of changes) {
    if (ignore(c.path) || isNoisePath(c.path)) continue;
    if (c.kind === 'modified' && !leaves.has(c.path)) continue;
    if (c.kind === 'modified' && isDir(c.path)) {
      dirs.add(c.path);
      continue;
    }
    let top = c.path;
    while (byPath.get(parentOf(top))?.kind === 'added' && parentOf(top) !== '/') top = parentOf(top);
    dirs.add(parentOf(top));
  }
  return [...dirs].filter((d) => !isSystemTree(d)).sort();
}

/** Modified paths with no changed path below them: file or directory, only a stat can tell. */
export function modifiedLeaves(changes: readonly FsChange[], ignore: (p: string) => boolean): string[] {
  const withChild = new Set<string>();
  for (const c of changes) for (let a = parentOf(c.path); a !== '/'; a = parentOf(a)) withChild.add(a);
  return changes
    .filter((c) => c.kind === 'modified' && !withChild.has(c.path) && !ignore(c.path) && !isNoisePath(c.path))
    .map((c) => c.path);
}

export async function takeSnapshot(
  engine: Engine,
  id: string,
  changes: readonly FsChange[],
  ignore: (p: string) => boolean,
): Promise<Snapshot> {
  const listings = new Map<string, DirListing>();
  const dirLeaves = new Set<string>();
  for (const p of modifiedLeaves(changes, ignore)) {
    if ((await engine.statPath(id, p))?.type === 'dir') dirLeaves.add(p);
  }
  for (const dir of writeDirs(changes, ignore, (p) => dirLeaves.has(p))) {
    listings.set(dir, await listDir(engine, id, dir));
  }
  return { changes, listings };
}

async function listDir(engine: Engine, id: string, dir: string): Promise<DirListing> {
  const { entries, truncated } = await readHeaders(await engine.getArchive(id, dir), { maxEntries: MAX_ENTRIES_PER_DIR });
  // Docker names entries after the directory's basename ("nginx/access.log" for /var/log/nginx).
  const base = parentOf(dir);
  const byPath = new Map<string, ArchiveEntry>();
  let self: ArchiveEntry | undefined;
  for (const e of entries) {
    const abs = base === '/' ? `/${e.name}` : `${base}/${e.name}`;
    if (abs === dir) self = e;
    else byPath.set(abs, e);
  }
  return { ...(self ? { self } : {}), entries: byPath, truncated };
}

export interface HarvestInput {
  readonly running: Snapshot;
  readonly stopped: Snapshot;
  /** Paths that are not the app's writes: user mount points, tool files. */
  readonly ignore: (p: string) => boolean;
}

/** Turns the two snapshots into write events and the facts of the directories that matter. */
export function harvest(input: HarvestInput): { events: WriteEvent[]; fs: FsFacts; changes: FsChange[] } {
  const { running, stopped, ignore } = input;
  const all = mergeDiffs(running.changes, stopped.changes);
  const merged = all.filter(({ change }) => !isNoisePath(change.path) && !ignore(change.path));
  // Children are counted before filtering: /etc changed because of /etc/hosts is no write of the app's.
  const sorted = all.map((m) => m.change.path);
  const events: WriteEvent[] = [];
  for (const { change, transient } of merged) {
    const meta = lookup(stopped, change.path) ?? lookup(running, change.path);
    const isDir = meta?.type === 'dir' || hasChangedChild(change.path, sorted);
    // A directory only "modified" because something changed below it says nothing by itself.
    if (change.kind === 'modified' && isDir && hasChangedChild(change.path, sorted)) continue;
    const type: EntryType | undefined = meta?.type ?? (isDir ? 'dir' : undefined);
    const base = {
      path: change.path,
      realPath: change.path,
      source: 'diff' as const,
      ...(type ? { type } : {}),
      ...(meta ? { size: meta.size, uid: meta.uid, gid: meta.gid, mode: meta.mode } : {}),
    };
    const op = change.kind === 'added' ? 'add' : change.kind === 'modified' ? 'modify' : 'delete';
    events.push({ ...base, op });
    if (transient) events.push({ path: change.path, realPath: change.path, op: 'delete', source: 'diff', ...(type ? { type } : {}) });
  }
  // Directories described: those written into, plus modified directories with no changed
  // child (something was created and removed inside them).
  const dirs = new Set([...running.listings.keys(), ...stopped.listings.keys()]);
  for (const e of events) if (e.type === 'dir' && e.op === 'modify') dirs.add(e.path);
  const added = new Set(merged.filter((m) => m.change.kind === 'added').map((m) => m.change.path));
  const deleted = merged.filter((m) => m.change.kind === 'deleted').map((m) => m.change.path);
  const facts: DirFacts[] = [...dirs].sort().map((dir) => dirFacts(dir, [stopped, running], added, deleted));
  return { events, fs: { dirs: facts }, changes: merged.map((m) => m.change) };
}

function lookup(s: Snapshot, path: string): ArchiveEntry | undefined {
  for (const [dir, l] of s.listings) {
    if (!isUnder(path, dir)) continue;
    const e = path === dir ? l.self : l.entries.get(path);
    if (e) return e;
  }
  return undefined;
}

function dirFacts(dir: string, snapshots: readonly Snapshot[], added: ReadonlySet<string>, deleted: readonly string[]): DirFacts {
  const self = snapshots.map((s) => lookup(s, dir)).find((e) => e);
  if (!self) return { path: dir, exists: false, shipped: [] };
  const shipped = new Set<string>();
  for (const snap of snapshots) {
    for (const l of snap.listings.values()) {
      for (const p of l.entries.keys()) {
        if (parentOf(p) === dir && !added.has(p)) shipped.add(p.slice(dir === '/' ? 1 : dir.length + 1));
      }
    }
  }
  for (const p of deleted) if (parentOf(p) === dir) shipped.add(p.slice(dir === '/' ? 1 : dir.length + 1));
  const s = self;
  return {
    path: dir,
    exists: true,
    type: s.type,
    uid: s.uid,
    gid: s.gid,
    mode: s.mode,
    ...(s.linkTarget ? { linkTarget: s.linkTarget } : {}),
    shipped: [...shipped].sort(),
  };
}
