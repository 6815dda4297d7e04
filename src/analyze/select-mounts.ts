import type { DirFacts } from '../model/fs-facts.js';
import type { WriteEvent } from '../model/write-event.js';
import { compareStrings, isSystemTree, parentOf } from './paths.js';

/** A directory chosen to become a mount, with the events it serves and why it was chosen. */
export interface Chosen {
  readonly path: string;
  readonly events: WriteEvent[];
  /** Set when it sits inside another mount, to keep a shipped directory that mount would hide. */
  nestedIn?: string;
  /** The created directories it replaced, when widened to their parent. */
  widenedFrom?: string[];
}

export interface Selection {
  readonly chosen: Map<string, Chosen>;
  /** Writes straight into a system tree, by tree. */
  readonly systemWrites: Map<string, WriteEvent[]>;
}

function depth(p: string): number {
  return p === '/' ? 0 : p.split('/').length - 1;
}

/**
 * From needed directories to mounts.
 * 1. Shallowest first: a needed directory inside a chosen mount is served by it, unless the
 *    way down passes through a directory the image ships (the outer mount hides it, and the
 *    app did not create it): then that shipped directory becomes a nested mount of its own.
 *    System trees never become mounts, and never absorb what lies below them.
 * 2. Created directories whose parent ships nothing are widened to the parent: it hides
 *    nothing, and the app can create what it likes there.
 */
export function selectMounts(needs: ReadonlyMap<string, WriteEvent[]>, facts: ReadonlyMap<string, DirFacts>): Selection {
  const inImage = (p: string) => {
    const f = facts.get(p);
    return f !== undefined && f.exists && !f.created;
  };
  const chosen = new Map<string, Chosen>();
  const systemWrites = new Map<string, WriteEvent[]>();
  const order = [...needs.keys()].sort((a, b) => depth(a) - depth(b) || compareStrings(a, b));
  for (const dir of order) {
    const events = needs.get(dir) ?? [];
    if (isSystemTree(dir)) {
      systemWrites.set(dir, [...(systemWrites.get(dir) ?? []), ...events]);
      continue;
    }
    const outer = nearestChosen(dir, chosen);
    if (!outer) {
      chosen.set(dir, { path: dir, events: [...events] });
      continue;
    }
    // A nested mount hides what the image ships below it in turn: repeat until nothing shipped is in the way.
    let target = outer;
    for (let keep = topmostShippedBelow(target, dir, inImage); keep !== undefined; keep = topmostShippedBelow(target, dir, inImage)) {
      chosen.set(keep, { path: keep, events: [], nestedIn: target });
      target = keep;
    }
    chosen.get(target)?.events.push(...events);
  }
  widen(chosen, facts, inImage);
  return { chosen, systemWrites };
}

function nearestChosen(dir: string, chosen: ReadonlyMap<string, Chosen>): string | undefined {
  for (let a = parentOf(dir); ; a = parentOf(a)) {
    if (chosen.has(a)) return a;
    if (a === '/') return undefined;
  }
}

/** The shallowest directory strictly below `outer` on the way to `dir` that the image ships. */
function topmostShippedBelow(outer: string, dir: string, inImage: (p: string) => boolean): string | undefined {
  const chain: string[] = [];
  for (let a = dir; a !== outer && a !== '/'; a = parentOf(a)) chain.push(a);
  for (let i = chain.length - 1; i >= 0; i--) {
    const p = chain[i]!;
    if (inImage(p)) return p;
  }
  return undefined;
}

function widen(chosen: Map<string, Chosen>, facts: ReadonlyMap<string, DirFacts>, inImage: (p: string) => boolean): void {
  const groups = new Map<string, Chosen[]>();
  for (const c of chosen.values()) {
    if (c.nestedIn !== undefined || inImage(c.path)) continue;
    const parent = parentOf(c.path);
    const f = facts.get(parent);
    if (isSystemTree(parent) || !inImage(parent) || !f || f.shipped.length > 0 || chosen.has(parent)) continue;
    groups.set(parent, [...(groups.get(parent) ?? []), c]);
  }
  for (const [parent, kids] of groups) {
    if (nearestChosen(parent, chosen)) continue;
    for (const k of kids) chosen.delete(k.path);
    const sorted = kids.map((k) => k.path).sort(compareStrings);
    chosen.set(parent, { path: parent, events: kids.flatMap((k) => k.events), widenedFrom: sorted });
  }
}
