import { compareStrings, isUnder } from '../analyze/paths.js';
import type { FsChange } from '../model/write-event.js';
import { ancestorsOf, isProgramPath, isSystemPath } from './drift-paths.js';
import type { DriftExpectations } from './expectations.js';

/** Pure: a container's `docker diff` sorted against what its result (if any) expects. */

/** The rules a drift change breaks, with ids that stay stable for SARIF consumers and scripts. */
export const DRIFT_RULES = ['drift/modified-binary', 'drift/new-system-file', 'drift/deleted-file', 'drift/unexpected-write'] as const;
export type DriftRule = (typeof DRIFT_RULES)[number];

/**
 * mounted: under a mount (the result's, the user's, or one the container has now); profiled:
 * a write the profile saw; drift: neither; unclassified: no result to tell (and not drift by the
 * rules that hold without one).
 */
export const CHANGE_CLASSES = ['mounted', 'profiled', 'drift', 'unclassified'] as const;
export type ChangeClass = (typeof CHANGE_CLASSES)[number];

export interface ClassifiedChange extends FsChange {
  readonly class: ChangeClass;
  readonly rule?: DriftRule;
}

export interface Classification {
  /** Every change but the folded ones, sorted by path. */
  readonly changes: readonly ClassifiedChange[];
  /** Directories reported as changed only because something under them changed, sorted. */
  readonly folded: readonly string[];
  readonly counts: Readonly<Record<ChangeClass, number>>;
}

export interface ClassifyOptions {
  /** From the result; absent: no result, so nothing counts as profiled. */
  readonly expectations?: DriftExpectations;
  /** Where the container has mounts now; the engine creates their mount points in the root. */
  readonly mountPoints: readonly string[];
  /** Files the engine says are executable (any x bit): a program wherever it sits. */
  readonly executables?: ReadonlySet<string>;
}

export function classifyDrift(changes: readonly FsChange[], o: ClassifyOptions): Classification {
  // docker diff lists every ancestor of a change as changed (C); alone they say nothing.
  const parents = new Set(changes.flatMap((c) => ancestorsOf(c.path)));
  const folded: string[] = [];
  const kept: ClassifiedChange[] = [];
  for (const c of dedupe(changes)) {
    if (c.kind === 'modified' && parents.has(c.path)) folded.push(c.path);
    else kept.push(classifyOne(c, o));
  }
  kept.sort((a, b) => compareStrings(a.path, b.path));
  const counts = { mounted: 0, profiled: 0, drift: 0, unclassified: 0 };
  for (const c of kept) counts[c.class]++;
  return { changes: kept, folded: folded.sort(compareStrings), counts };
}

function classifyOne(c: FsChange, o: ClassifyOptions): ClassifiedChange {
  const e = o.expectations;
  if (isMounted(c, o.mountPoints, e)) return { ...c, class: 'mounted' };
  if (e && isProfiled(c, e)) return { ...c, class: 'profiled' };
  const rule = driftRuleFor(c, o.executables ?? new Set(), e !== undefined);
  return rule ? { ...c, class: 'drift', rule } : { ...c, class: 'unclassified' };
}

function isMounted(c: FsChange, mountPoints: readonly string[], e: DriftExpectations | undefined): boolean {
  // A mount point the engine made shows up as an added or changed directory above the mount.
  const livePoint = mountPoints.some((m) => isUnder(c.path, m) || (c.kind !== 'deleted' && isUnder(m, c.path)));
  return livePoint || (e?.mountPaths.some((m) => isUnder(c.path, m)) ?? false);
}

function isProfiled(c: FsChange, e: DriftExpectations): boolean {
  // A deletion is expected only where the profile saw that very path go: the image shipped it.
  if (c.kind === 'deleted') return e.deleted.has(c.path);
  return e.written.has(c.path) || e.ownedDirs.some((d) => isUnder(c.path, d));
}

/**
 * The rule a change breaks, most specific first. Without a result only the rules that need no
 * profile hold (system trees, programs, deletions); the rest is unclassified.
 */
export function driftRuleFor(c: FsChange, executables: ReadonlySet<string>, withResult: boolean): DriftRule | undefined {
  if (c.kind === 'deleted') return 'drift/deleted-file';
  if (isProgramPath(c.path) || executables.has(c.path)) return 'drift/modified-binary';
  if (isSystemPath(c.path)) return 'drift/new-system-file';
  return withResult ? 'drift/unexpected-write' : undefined;
}

/**
 * Drift changes whose rule an executable bit would make `drift/modified-binary`: the files to
 * ask the engine about (added or changed, outside the program directories). Unclassified ones
 * are not asked about: with no result, a script the app writes is not drift by itself.
 */
export function executableCandidates(c: Classification): string[] {
  return c.changes.filter((x) => x.class === 'drift' && x.kind !== 'deleted' && x.rule !== 'drift/modified-binary').map((x) => x.path);
}

/** The engine never repeats a path, but a merged or hand-made list may: one entry per path, the last kind wins. */
function dedupe(changes: readonly FsChange[]): FsChange[] {
  return [...new Map(changes.map((c) => [c.path, c])).values()];
}
