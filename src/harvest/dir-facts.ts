import type { DirFacts, ShippedEntry } from '../model/fs-facts.js';
import type { WriteEvent } from '../model/write-event.js';
import { compareStrings } from '../analyze/paths.js';
import { parentOf } from './changes.js';
import type { Listed } from './listed.js';
import type { VolumeListing } from './listing.js';
import type { Snapshot } from './snapshot.js';

/** The listed directories, plus every directory between them and a written path. */
export function describedDirs(snapshots: readonly Snapshot[], events: readonly WriteEvent[], entries: Pick<Listed, 'get'>): Set<string> {
  const dirs = new Set<string>();
  for (const s of snapshots) for (const d of s.listings.keys()) dirs.add(d);
  const walked = new Set<string>();
  // Events come sorted by path: a walk from the same parent as the last one adds nothing new.
  let lastParent: string | undefined;
  for (const e of events) {
    if (e.source !== 'diff') continue;
    const path = e.realPath;
    const entry = entries.get(path);
    if (!entry) continue;
    if (entry.type === 'dir') {
      // Another walk went up from here already; listing roots alone do not count.
      if (walked.has(path)) continue;
      walked.add(path);
      dirs.add(path);
    }
    const i = path.lastIndexOf('/');
    if (lastParent !== undefined && i === lastParent.length && path.startsWith(lastParent)) continue;
    lastParent = i <= 0 ? '/' : path.slice(0, i);
    for (let a = lastParent; a !== '/'; a = parentOf(a)) {
      const up = entries.get(a);
      if (!up) break;
      if (up.type === 'dir') {
        if (walked.has(a)) break;
        walked.add(a);
        dirs.add(a);
      }
    }
  }
  return dirs;
}

export interface DirFactsContext {
  readonly listed: Listed;
  /** Listed paths the app did not create (what the image ships), by parent directory. */
  readonly shippedIn: ReadonlyMap<string, ReadonlySet<string>>;
  /** Paths the app created. */
  readonly added: ReadonlySet<string>;
  /** Paths the app deleted directly inside this directory. */
  readonly deleted: readonly string[];
}

/** What the image ships at a directory: its owner and mode, and the entries a mount there would hide. */
export function dirFacts(dir: string, ctx: DirFactsContext): DirFacts {
  const entries = ctx.listed;
  const self = entries.get(dir);
  if (!self) return { path: dir, exists: false, shipped: [] };
  const shippedKids = (d: string): readonly string[] => [...(ctx.shippedIn.get(d) ?? [])];
  const shipped: ShippedEntry[] = shippedKids(dir).map((p) => {
    const e = entries.get(p)!;
    return {
      name: p.slice(dir.length + 1),
      type: e.type,
      size: e.size,
      uid: e.uid,
      gid: e.gid,
      mode: e.mode,
      // A directory whose entries the listing read past holds some all the same.
      ...(e.type === 'dir' ? { empty: !entries.occupied.has(p) && !ctx.shippedIn.has(p) } : {}),
      ...(e.linkTarget ? { linkTarget: e.linkTarget } : {}),
    };
  });
  // A shipped entry the app deleted is no longer there to read, but a mount hides it all the same.
  for (const p of ctx.deleted) {
    if (parentOf(p) === dir && entries.get(p) === undefined) shipped.push({ name: p.slice(dir.length + 1), type: 'file', size: 0, uid: 0, gid: 0, mode: 0 });
  }
  shipped.sort((a, b) => compareStrings(a.name, b.name));
  return {
    path: dir,
    exists: true,
    ...(ctx.added.has(dir) ? { created: true } : {}),
    type: self.type,
    uid: self.uid,
    gid: self.gid,
    mode: self.mode,
    ...(self.linkTarget ? { linkTarget: self.linkTarget } : {}),
    shipped,
  };
}

/** A declared volume's directory: its owner and mode, and what the image put there (older than `shippedBeforeMs`). */
export function volumeFacts(v: VolumeListing, shippedBeforeMs: number): DirFacts {
  const self = v.entries.get(v.destination);
  if (!self) return { path: v.destination, exists: false, shipped: [] };
  const shipped: ShippedEntry[] = [];
  for (const [p, e] of v.entries) {
    if (parentOf(p) !== v.destination || e.mtimeMs >= shippedBeforeMs) continue;
    shipped.push({ name: p.slice(v.destination.length + 1), type: e.type, size: e.size, uid: e.uid, gid: e.gid, mode: e.mode });
  }
  shipped.sort((a, b) => compareStrings(a.name, b.name));
  return { path: v.destination, exists: true, type: self.type, uid: self.uid, gid: self.gid, mode: self.mode, shipped };
}
