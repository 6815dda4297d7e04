import type { DirFacts, FsFacts, ImageTools, ShippedEntry, Symlink } from '../model/fs-facts.js';
import type { EntryType, FsChange, WriteEvent } from '../model/write-event.js';
import type { Engine } from '../runtime/engine.js';
import { readHeaders, type ArchiveEntry } from './archive.js';
import { compareStrings, isSystemTree } from '../analyze/paths.js';
import { isNoisePath, isUnder, mergeDiffs, parentOf } from './changes.js';
import { HEAD_BYTES, formatOf } from './formats.js';

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
 * `alsoDirs`: directories a mount may be planned at whatever the writes below them (--persist,
 * --ephemeral, a profile's hints), read when they exist: a mount above the written directories
 * takes its owner, mode and shipped entries from them, not from the runtime's defaults.
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
  for (const dir of writeDirs(changes, ignore, (p) => dirLeaves.has(p), new Set(leaves))) {
    listings.set(dir, await listDir(engine, id, dir));
  }
  for (const dir of [...new Set(alsoDirs)].sort()) {
    if (listings.has(dir) || isSystemTree(dir) || (await engine.statPath(id, dir))?.type !== 'dir') continue;
    listings.set(dir, await listDir(engine, id, dir));
  }
  return { changes, listings };
}

export async function listDir(engine: Engine, id: string, dir: string): Promise<DirListing> {
  const { entries, truncated } = await readHeaders(await engine.getArchive(id, dir), { maxEntries: MAX_ENTRIES_PER_DIR, headBytes: HEAD_BYTES });
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

/** The content of a volume the container had mounted, read after it stopped. */
export interface VolumeListing {
  readonly destination: string;
  readonly entries: ReadonlyMap<string, ArchiveEntry>;
}

export interface HarvestInput {
  readonly running: Snapshot;
  readonly stopped: Snapshot;
  /** Paths that are not the app's writes: user mount points, tool files. */
  readonly ignore: (p: string) => boolean;
  /** Declared volumes' content; entries changed since startedAtMs are the app's writes. */
  readonly volumes?: readonly VolumeListing[];
  readonly startedAtMs?: number;
  readonly symlinks?: readonly Symlink[];
  readonly tools?: ImageTools;
}

export interface Harvest {
  readonly events: WriteEvent[];
  readonly fs: FsFacts;
  readonly changes: FsChange[];
}

/** Clock slack between the engine's start time and file times (both from the same kernel). */
const MTIME_SLACK_MS = 1000;

/** Turns the snapshots into write events and the facts of the directories that matter. Pure. */
export function harvest(input: HarvestInput): Harvest {
  const { running, stopped, ignore } = input;
  const all = mergeDiffs(running.changes, stopped.changes);
  // Children are counted before filtering: /etc changed because of /etc/hosts is no write of the app's.
  const withChild = new Set<string>();
  // Once an ancestor is in the set, all of its ancestors are too.
  for (const { change } of all) for (let a = parentOf(change.path); a !== '/' && !withChild.has(a); a = parentOf(a)) withChild.add(a);
  const merged = all.filter(({ change }) => !isNoisePath(change.path) && !ignore(change.path));
  const entries = mergeListings([running, stopped]);
  const added = new Set<string>();
  const deletedByDir = new Map<string, string[]>();
  for (const { change } of merged) {
    if (change.kind === 'added') added.add(change.path);
    else if (change.kind === 'deleted') {
      const parent = parentOf(change.path);
      const list = deletedByDir.get(parent);
      if (list) list.push(change.path);
      else deletedByDir.set(parent, [change.path]);
    }
  }

  const events: WriteEvent[] = [];
  for (const { change, transient } of merged) {
    // A directory only "modified" because something changed below it says nothing by itself.
    if (change.kind === 'modified' && withChild.has(change.path)) continue;
    const meta = entries.get(change.path);
    const type: EntryType | undefined = meta?.type ?? (withChild.has(change.path) ? 'dir' : undefined);
    const op = change.kind === 'added' ? 'add' : change.kind === 'modified' ? 'modify' : 'delete';
    events.push(eventOf(change.path, op, 'diff', type, meta));
    if (transient) events.push(eventOf(change.path, 'delete', 'diff', type, undefined));
  }
  events.push(...volumeEvents(input.volumes ?? [], input.startedAtMs ?? 0));

  const dirs = describedDirs([running, stopped], events, entries);
  const children = childIndex(entries);
  const facts = [...dirs].sort(compareStrings).map((d) => dirFacts(d, entries, children, added, deletedByDir.get(d) ?? [], isTruncated([running, stopped], d)));
  for (const v of input.volumes ?? []) facts.push(volumeFacts(v, input.startedAtMs ?? 0));
  facts.sort((a, b) => compareStrings(a.path, b.path));
  const symlinks = [...(input.symlinks ?? [])].sort((a, b) => compareStrings(a.path, b.path));
  return { events, fs: { dirs: facts, symlinks, ...(input.tools ? { tools: input.tools } : {}) }, changes: merged.map((m) => m.change) };
}

function eventOf(path: string, op: WriteEvent['op'], source: WriteEvent['source'], type: EntryType | undefined, meta: ArchiveEntry | undefined): WriteEvent {
  // Built by assignment, not spreads: this runs once per change, a million times for a big diff.
  const e: { -readonly [K in keyof WriteEvent]: WriteEvent[K] } = { path, realPath: path, op, source };
  if (type) e.type = type;
  if (meta) {
    e.size = meta.size;
    e.uid = meta.uid;
    e.gid = meta.gid;
    e.mode = meta.mode;
    const format = formatOf(meta.head);
    if (format) e.format = format;
  }
  return e;
}

/** What the app left in its volumes: entries changed since the container started. */
function volumeEvents(volumes: readonly VolumeListing[], startedAtMs: number): WriteEvent[] {
  const out: WriteEvent[] = [];
  for (const v of volumes) {
    for (const [path, e] of [...v.entries].sort(([a], [b]) => compareStrings(a, b))) {
      if (path === v.destination || e.mtimeMs < startedAtMs - MTIME_SLACK_MS) continue;
      out.push(eventOf(path, 'add', 'volume', e.type, e));
    }
  }
  return out;
}

/** Every entry seen in any listing, by absolute path; the later snapshot wins. */
function mergeListings(snapshots: readonly Snapshot[]): Map<string, ArchiveEntry> {
  const out = new Map<string, ArchiveEntry>();
  for (const s of snapshots) {
    for (const [dir, l] of s.listings) {
      if (l.self) out.set(dir, l.self);
      for (const [p, e] of l.entries) out.set(p, e);
    }
  }
  return out;
}

function childIndex(entries: ReadonlyMap<string, ArchiveEntry>): Map<string, string[]> {
  const idx = new Map<string, string[]>();
  for (const p of entries.keys()) {
    const parent = parentOf(p);
    const list = idx.get(parent);
    if (list) list.push(p);
    else idx.set(parent, [p]);
  }
  return idx;
}

/** The listed directories, plus every directory between them and a written path. */
function describedDirs(snapshots: readonly Snapshot[], events: readonly WriteEvent[], entries: ReadonlyMap<string, ArchiveEntry>): Set<string> {
  const dirs = new Set<string>();
  for (const s of snapshots) for (const d of s.listings.keys()) dirs.add(d);
  const walked = new Set<string>();
  for (const e of events) {
    if (e.source !== 'diff') continue;
    for (let a = e.realPath; a !== '/'; a = parentOf(a)) {
      const entry = entries.get(a);
      if (!entry) break;
      if (entry.type === 'dir') {
        // Another walk went up from here already; listing roots alone do not count.
        if (walked.has(a)) break;
        walked.add(a);
        dirs.add(a);
      }
    }
  }
  return dirs;
}

function isTruncated(snapshots: readonly Snapshot[], dir: string): boolean {
  return snapshots.some((s) => [...s.listings].some(([d, l]) => l.truncated && isUnder(dir, d)));
}

function dirFacts(
  dir: string,
  entries: ReadonlyMap<string, ArchiveEntry>,
  children: ReadonlyMap<string, readonly string[]>,
  added: ReadonlySet<string>,
  deleted: readonly string[],
  truncated: boolean,
): DirFacts {
  const self = entries.get(dir);
  if (!self) return { path: dir, exists: false, shipped: [] };
  const shippedKids = (d: string) => (children.get(d) ?? []).filter((p) => !added.has(p));
  const shipped: ShippedEntry[] = shippedKids(dir).map((p) => {
    const e = entries.get(p)!;
    return {
      name: p.slice(dir.length + 1),
      type: e.type,
      size: e.size,
      uid: e.uid,
      gid: e.gid,
      mode: e.mode,
      ...(e.type === 'dir' ? { empty: shippedKids(p).length === 0 } : {}),
      ...(e.linkTarget ? { linkTarget: e.linkTarget } : {}),
    };
  });
  // A shipped entry the app deleted is no longer there to read, but a mount hides it all the same.
  for (const p of deleted) {
    if (parentOf(p) === dir && !entries.has(p)) shipped.push({ name: p.slice(dir.length + 1), type: 'file', size: 0, uid: 0, gid: 0, mode: 0 });
  }
  shipped.sort((a, b) => compareStrings(a.name, b.name));
  return {
    path: dir,
    exists: true,
    ...(added.has(dir) ? { created: true } : {}),
    type: self.type,
    uid: self.uid,
    gid: self.gid,
    mode: self.mode,
    ...(self.linkTarget ? { linkTarget: self.linkTarget } : {}),
    shipped,
    ...(truncated ? { truncated } : {}),
  };
}

/** A declared volume's directory: its owner and mode, and what the image put there (older than the start). */
function volumeFacts(v: VolumeListing, startedAtMs: number): DirFacts {
  const self = v.entries.get(v.destination);
  if (!self) return { path: v.destination, exists: false, shipped: [] };
  const shipped: ShippedEntry[] = [];
  for (const [p, e] of v.entries) {
    if (parentOf(p) !== v.destination || e.mtimeMs >= startedAtMs - MTIME_SLACK_MS) continue;
    shipped.push({ name: p.slice(v.destination.length + 1), type: e.type, size: e.size, uid: e.uid, gid: e.gid, mode: e.mode });
  }
  shipped.sort((a, b) => compareStrings(a.name, b.name));
  return { path: v.destination, exists: true, type: self.type, uid: self.uid, gid: self.gid, mode: self.mode, shipped };
}
