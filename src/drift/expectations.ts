import { resolveLinks } from '../analyze/paths.js';
import type { Result } from '../model/result.js';
import { userMountsOf } from '../syntax/volume-flag.js';
import { ancestorsOf } from './drift-paths.js';

/** What a result says a container of its image may change, in the container's real paths. */
export interface DriftExpectations {
  /** Directories that become mounts (the plan's, the user's -v/--mount, the volumes seen): anything under them. */
  readonly mountPaths: readonly string[];
  /** Paths the profile saw written or created. */
  readonly written: ReadonlySet<string>;
  /** Paths the profile saw deleted. */
  readonly deleted: ReadonlySet<string>;
  /**
   * Directories the app made itself during the profile (not in the image), and the ones the user
   * named with --persist / --ephemeral: new names under them are the app's (a session file, a
   * rotated log), not drift.
   */
  readonly ownedDirs: readonly string[];
}

/** Ops that change the filesystem; `exec` only names a program that ran. */
const WRITING_OPS = new Set(['add', 'modify', 'open-write', 'failed-write']);

export function expectationsFromResult(r: Result): DriftExpectations {
  // The diff names real paths; a user's target or a VOLUME may be named through a link (/var/run -> /run).
  const real = (p: string) => resolveLinks(p, r.fs.symlinks);
  const mountPaths = [...r.plan.mounts.map((m) => m.path), ...userMountsOf(r.run).map((u) => real(u.target)), ...r.volumes.map((v) => real(v.destination)), ...r.image.volumes.map(real)];
  const written = new Set<string>();
  const deleted = new Set<string>();
  for (const c of r.changes) (c.kind === 'deleted' ? deleted : written).add(c.path);
  for (const e of r.events) {
    if (e.op === 'delete') {
      deleted.add(e.path).add(e.realPath);
    } else if (WRITING_OPS.has(e.op)) {
      written.add(e.path).add(e.realPath);
    }
  }
  // An added entry with something under it in the diff is a directory the app created.
  const parents = new Set(r.changes.flatMap((c) => ancestorsOf(c.path)));
  const created = r.changes.filter((c) => c.kind === 'added' && parents.has(c.path)).map((c) => c.path);
  const createdDirs = r.events.filter((e) => e.op === 'add' && e.type === 'dir').map((e) => e.realPath);
  const ownedDirs = [...created, ...createdDirs, ...r.analysis.persist.map(real), ...r.analysis.ephemeral.map(real)];
  return { mountPaths: unique(mountPaths), written, deleted, ownedDirs: unique(ownedDirs) };
}

function unique(paths: readonly string[]): string[] {
  return [...new Set(paths)].sort();
}
