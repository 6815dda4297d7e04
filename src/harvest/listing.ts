import type { FsChange } from '../model/write-event.js';
import type { Engine } from '../runtime/engine.js';
import { scanArchive, type ListedEntry } from './archive.js';
import { parentOf } from './changes.js';
import { HEAD_BYTES } from './formats.js';

/** What was read of one directory of the container: itself and the entries below it the analysis reads. */
export interface DirListing {
  readonly self?: ListedEntry;
  /** The entries kept from below the directory, by absolute path (all of them unless a scope left some out). */
  readonly entries: ReadonlyMap<string, ListedEntry>;
  /**
   * Directories in `entries` that hold entries a scope left out (unchanged, deeper than the
   * analysis reads): all that is kept of them is that the directory is not empty.
   */
  readonly occupied?: ReadonlySet<string>;
}

/** The content of a volume the container had mounted, read after it stopped. */
export interface VolumeListing {
  readonly destination: string;
  readonly entries: ReadonlyMap<string, ListedEntry>;
}

/**
 * The directories whose entries a snapshot's listings keep, from that snapshot's diff: every
 * changed path and every ancestor of one. So a listing keeps each changed path (its size,
 * owner and format go into its event), each directory on the way to one, and what those
 * directories ship (what a mount there would hide); an unchanged tree beside the writes is
 * read past, however big, and only marks its directory as occupied.
 */
export function listingScope(changes: readonly FsChange[]): Set<string> {
  const scope = new Set<string>();
  for (const c of changes) {
    // Once a path is in, so are all of its ancestors.
    for (let a = c.path; a !== '/' && !scope.has(a); a = parentOf(a)) scope.add(a);
  }
  return scope;
}

/** Builds one directory's listing from its archive entries as they stream past (archive order). */
export interface ListingCollector {
  /** Whether the entry of this archive name is kept (ask before its body passes: only a kept file's head is read). */
  keeps(name: string): boolean;
  add(e: ListedEntry, name: string): void;
  done(): DirListing;
}

/**
 * A collector for the listing of `dir`. Without a scope every entry is kept; with one, an
 * entry is kept when it sits directly in `dir` or in a directory of the scope.
 */
export function listingCollector(dir: string, scope?: ReadonlySet<string>): ListingCollector {
  // Docker names entries after the directory's basename ("nginx/access.log" for /var/log/nginx).
  const base = parentOf(dir);
  const entries = new Map<string, ListedEntry>();
  const occupied = new Set<string>();
  let self: ListedEntry | undefined;
  // Entries come directory by directory: the decision is made once per parent, not per entry.
  let lastParent: string | undefined;
  let lastKeep = true;
  const absOf = (name: string) => (base === '/' ? `/${name}` : `${base}/${name}`);
  const keepsPath = (abs: string): boolean => {
    if (scope === undefined || abs === dir) return true;
    const i = abs.lastIndexOf('/');
    if (lastParent === undefined || i !== lastParent.length || !abs.startsWith(lastParent)) {
      lastParent = i <= 0 ? '/' : abs.slice(0, i);
      lastKeep = lastParent === dir || scope.has(lastParent);
      // Left out of a kept directory: that directory is not empty, which its facts say.
      if (!lastKeep && (parentOf(lastParent) === dir || scope.has(parentOf(lastParent)))) occupied.add(lastParent);
    }
    return lastKeep;
  };
  return {
    keeps: (name) => keepsPath(absOf(name)),
    add(e, name) {
      const abs = absOf(name);
      if (abs === dir) self = e;
      else if (keepsPath(abs)) entries.set(abs, e);
    },
    done: () => ({ ...(self ? { self } : {}), entries, ...(occupied.size > 0 ? { occupied } : {}) }),
  };
}

/**
 * Reads one directory of the container through the archive API, streamed: every entry is
 * seen, whatever the size of the directory, and only those the scope asks for are kept.
 */
export async function listDir(engine: Engine, id: string, dir: string, scope?: ReadonlySet<string>): Promise<DirListing> {
  const c = listingCollector(dir, scope);
  await scanArchive(await engine.getArchive(id, dir), { headBytes: HEAD_BYTES, wantsHead: c.keeps }, c.add);
  return c.done();
}

/**
 * Reads a declared volume's content (headers and mtimes) from the stopped container, streamed
 * and whole: any entry newer than the start is a write of the app's.
 */
export async function listVolume(engine: Engine, id: string, destination: string): Promise<VolumeListing> {
  const base = parentOf(destination);
  const entries = new Map<string, ListedEntry>();
  await scanArchive(await engine.getArchive(id, destination), { headBytes: HEAD_BYTES }, (e, name) => entries.set(base === '/' ? `/${name}` : `${base}/${name}`, e));
  return { destination, entries };
}
