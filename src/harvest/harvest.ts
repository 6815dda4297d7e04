import type { FsFacts, ImageTools, Symlink } from '../model/fs-facts.js';
import type { EntryType, FsChange, WriteEvent } from '../model/write-event.js';
import type { ListedEntry } from './archive.js';
import { compareStrings } from '../analyze/paths.js';
import { isNoisePath, mergeDiffs, parentOf } from './changes.js';
import { describedDirs, dirFacts, volumeFacts } from './dir-facts.js';
import { listedOf, type Listed } from './listed.js';
import { formatOf } from './formats.js';
import type { VolumeListing } from './listing.js';
import { ancestorsWithChild } from '../analyze/ancestors.js';
import type { Snapshot } from './snapshot.js';

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
export const MTIME_SLACK_MS = 1000;

/** Turns the snapshots into write events and the facts of the directories that matter. Pure. */
export function harvest(input: HarvestInput): Harvest {
  const { running, stopped, ignore } = input;
  const all = mergeDiffs(running.changes, stopped.changes);
  // Children are counted before filtering: /etc changed because of /etc/hosts is no write of the app's.
  const withChild = ancestorsWithChild(all, (m) => m.change.path);
  const listed = listedOf([running, stopped]);
  const added = new Set<string>();
  const deletedByDir = new Map<string, string[]>();
  const changes: FsChange[] = [];
  const events: WriteEvent[] = [];
  for (const { change, transient } of all) {
    const path = change.path;
    if (isNoisePath(path) || ignore(path)) continue;
    changes.push(change);
    const kind = change.kind;
    if (kind === 'added') added.add(path);
    else if (kind === 'deleted') {
      const parent = parentOf(path);
      const list = deletedByDir.get(parent);
      if (list) list.push(path);
      else deletedByDir.set(parent, [path]);
    }
    // A directory only "modified" because something changed below it says nothing by itself.
    if (kind === 'modified' && withChild.has(path)) continue;
    const meta = listed.get(path);
    const type: EntryType | undefined = meta !== undefined ? meta.type : withChild.has(path) ? 'dir' : undefined;
    events.push(eventOf(path, kind === 'added' ? 'add' : kind === 'modified' ? 'modify' : 'delete', 'diff', type, meta));
    if (transient) events.push(eventOf(path, 'delete', 'diff', type, undefined));
  }
  const startedAtMs = input.startedAtMs ?? 0;
  for (const e of volumeEvents(input.volumes ?? [], startedAtMs)) events.push(e);

  const dirs = describedDirs([running, stopped], events, listed);
  const shippedIn = shippedByParent(listed, added);
  const facts = [...dirs].sort(compareStrings).map((d) => dirFacts(d, { listed, shippedIn, added, deleted: deletedByDir.get(d) ?? [] }));
  for (const v of input.volumes ?? []) facts.push(volumeFacts(v, startedAtMs - MTIME_SLACK_MS));
  facts.sort((a, b) => compareStrings(a.path, b.path));
  const symlinks = [...(input.symlinks ?? [])].sort((a, b) => compareStrings(a.path, b.path));
  return { events, fs: { dirs: facts, symlinks, ...(input.tools ? { tools: input.tools } : {}) }, changes };
}

function eventOf(path: string, op: WriteEvent['op'], source: WriteEvent['source'], type: EntryType | undefined, meta: ListedEntry | undefined): WriteEvent {
  // Built by assignment, not spreads: this runs once per change, a million times for a big diff.
  const e: { -readonly [K in keyof WriteEvent]: WriteEvent[K] } = { path, realPath: path, op, source };
  if (type) e.type = type;
  if (meta) {
    e.size = meta.size;
    e.uid = meta.uid;
    e.gid = meta.gid;
    e.mode = meta.mode;
    if (meta.head !== undefined) {
      const format = formatOf(meta.head);
      if (format) e.format = format;
    }
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

/** The listed entries the app did not create, by parent directory (few: most of a big listing is the app's). */
function shippedByParent(listed: Listed, added: ReadonlySet<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const p of listed.paths()) {
    if (added.has(p)) continue;
    const parent = parentOf(p);
    const set = out.get(parent);
    if (set) set.add(p);
    else out.set(parent, new Set([p]));
  }
  return out;
}
