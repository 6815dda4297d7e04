import type { ListedEntry } from './archive.js';
import { isUnder } from '../analyze/paths.js';
import type { DirListing } from './listing.js';
import type { Snapshot } from './snapshot.js';

/**
 * The snapshots' listings read as one, without copying them into one map (a big diff lists a
 * million entries twice): an entry is looked up in the listings that can hold it, the later
 * snapshot and the later listing first, as if merged in that order.
 */
export interface Listed {
  get(path: string): ListedEntry | undefined;
  /** Every listed path, the listings' own directories too, each listing in turn (a path may come more than once). */
  paths(): Iterable<string>;
  /** Directories known to hold entries the listings read past. */
  readonly occupied: ReadonlySet<string>;
}

interface Layer {
  readonly dir: string;
  readonly listing: DirListing;
}

export function listedOf(snapshots: readonly Snapshot[]): Listed {
  const layers: Layer[] = [];
  const occupied = new Set<string>();
  for (const s of snapshots) {
    for (const [dir, listing] of s.listings) {
      layers.push({ dir, listing });
      for (const d of listing.occupied ?? []) occupied.add(d);
    }
  }
  layers.reverse();
  const roots = new Set(layers.map((l) => l.dir));
  // The layers that can hold the entries of one directory, memoised: a diff comes directory by directory.
  const byParent = new Map<string, readonly Layer[]>();
  let lastParent: string | undefined;
  let lastLayers: readonly Layer[] = [];
  const layersFor = (parent: string): readonly Layer[] => {
    let hit = byParent.get(parent);
    if (hit === undefined) {
      hit = layers.filter((l) => isUnder(parent, l.dir));
      byParent.set(parent, hit);
    }
    return hit;
  };
  return {
    occupied,
    get(path) {
      if (roots.has(path)) {
        // A listed directory itself: its own listing's self, or an entry of an outer one.
        for (const l of layers) {
          const e = l.dir === path ? l.listing.self : isUnder(path, l.dir) ? l.listing.entries.get(path) : undefined;
          if (e !== undefined) return e;
        }
        return undefined;
      }
      const i = path.lastIndexOf('/');
      if (lastParent === undefined || i !== lastParent.length || !path.startsWith(lastParent)) {
        lastParent = i <= 0 ? '/' : path.slice(0, i);
        lastLayers = layersFor(lastParent);
      }
      for (const l of lastLayers) {
        const e = l.listing.entries.get(path);
        if (e !== undefined) return e;
      }
      return undefined;
    },
    *paths() {
      for (const l of layers) {
        if (l.listing.self) yield l.dir;
        yield* l.listing.entries.keys();
      }
    },
  };
}
