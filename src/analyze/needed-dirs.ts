import type { WriteEvent } from '../model/write-event.js';
import { ancestorsWithChild } from './ancestors.js';
import { parentOf } from './paths.js';

/** What the analysis knows about the paths of one set of events, computed once. */
export interface EventIndex {
  /** Paths the app created (op add). */
  readonly added: ReadonlySet<string>;
  /** Paths created and removed again during the run. */
  readonly transient: ReadonlySet<string>;
  /** Paths with some event below them (so they are directories). */
  readonly hasChild: ReadonlySet<string>;
  /** Paths known to be directories (by their own event's type). */
  readonly dirs: ReadonlySet<string>;
  /** Memo of topmostAdded, per created directory (a big diff has many files per directory). */
  readonly topCache: Map<string, string>;
}

/** The topmost created path on the way up from a created directory. */
function topmostAdded(dir: string, ix: EventIndex): string {
  const hit = ix.topCache.get(dir);
  if (hit !== undefined) return hit;
  const parent = parentOf(dir);
  const top = parent !== '/' && ix.added.has(parent) ? topmostAdded(parent, ix) : dir;
  ix.topCache.set(dir, top);
  return top;
}

export function indexEvents(events: readonly WriteEvent[]): EventIndex {
  const added = new Set<string>();
  const deleted = new Set<string>();
  const dirs = new Set<string>();
  for (const e of events) {
    if (e.op === 'add') added.add(e.realPath);
    else if (e.op === 'delete') deleted.add(e.realPath);
    if (e.type === 'dir') dirs.add(e.realPath);
  }
  const hasChild = ancestorsWithChild(events, (e) => e.realPath);
  const transient = new Set<string>();
  for (const p of deleted) if (added.has(p)) transient.add(p);
  return { added, transient, hasChild, dirs, topCache: new Map() };
}

/**
 * The directory that must be writable for one event.
 * - A directory the app created and kept: that directory itself (the runtime creates the
 *   mount point), so its parent's shipped entries stay visible.
 * - A file the app created, or anything it created and removed again: the parent of the
 *   topmost created path, which exists in the image.
 * - A directory modified with nothing changed below it (a file came and went, seen only as
 *   the directory's own change): itself. Its entries changed, so the write is inside it.
 * - A directory modified with changes below it: nothing of its own (undefined). Its change is
 *   those entries (the diff lists every ancestor of a change, a tracer sees the entries
 *   themselves), and they say which directory must be writable; never its parent (a `/tmp`
 *   whose temp files a tracer saw come and go is not a write into `/`).
 * - A shipped file modified or deleted, or a write seen only by a tracer: its parent.
 */
export function neededDir(e: WriteEvent, ix: EventIndex): string | undefined {
  const p = e.realPath;
  if (e.op === 'modify' && (e.type === 'dir' || ix.dirs.has(p))) return ix.hasChild.has(p) ? undefined : p;
  if (ix.added.has(p)) {
    const parent = parentOf(p);
    const top = parent !== '/' && ix.added.has(parent) ? topmostAdded(parent, ix) : p;
    const isDir = ix.dirs.has(top) || ix.hasChild.has(top);
    if (isDir && !ix.transient.has(top)) return top;
    return parentOf(top);
  }
  return parentOf(p);
}
