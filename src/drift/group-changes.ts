import { compareStrings } from '../analyze/paths.js';
import type { ClassifiedChange } from './classify-drift.js';
import { groupDirOf } from './drift-paths.js';

/** The changes under one directory, counted by kind: the no-result view of a container. */
export interface ChangeGroup {
  readonly dir: string;
  readonly added: number;
  readonly modified: number;
  readonly deleted: number;
  /** How many of them are drift by the rules that need no result. */
  readonly drift: number;
  readonly paths: readonly string[];
}

/** Pure: groups by the parent directory cut to two components (see groupDirOf), sorted by directory. */
export function groupChanges(changes: readonly ClassifiedChange[]): ChangeGroup[] {
  const groups = new Map<string, { added: number; modified: number; deleted: number; drift: number; paths: string[] }>();
  for (const c of changes) {
    const dir = groupDirOf(c.path);
    let g = groups.get(dir);
    if (!g) groups.set(dir, (g = { added: 0, modified: 0, deleted: 0, drift: 0, paths: [] }));
    g[c.kind]++;
    if (c.class === 'drift') g.drift++;
    g.paths.push(c.path);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([dir, g]) => ({ dir, added: g.added, modified: g.modified, deleted: g.deleted, drift: g.drift, paths: g.paths.sort(compareStrings) }));
}
