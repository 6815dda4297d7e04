import { normalizeLogLine, pathsFromLogLine } from './log-paths.js';
import type { Difference } from '../model/result.js';
import type { WriteEvent } from '../model/write-event.js';

/** The conventional temp dirs, in the order runtimes look (after TMPDIR). */
const TEMP_DIRS = ['/tmp', '/var/tmp', '/usr/tmp'];
/** Candidates tried one by one, at most: each costs a run. */
const MAX_CANDIDATES = 6;

export interface Alternatives {
  /** The line that names them (normalized), to tell whether a run still fails the same way. */
  readonly line: string;
  /** Its paths, in the order to try: TMPDIR, the conventional temp dirs, then as the line names them. */
  readonly candidates: readonly string[];
}

/**
 * A line that names several paths at once ("no usable temporary directory found in ['/tmp',
 * '/var/tmp', '/usr/tmp', '/app']") lists alternatives, any one of which would do: mounting all
 * of them is wider than needed (and over shipped files, or into system trees, wrong). The first
 * such line of the differences, with its candidates ordered. Pure.
 */
export function alternativesOf(diffs: readonly Difference[], tmpdir: string | undefined): Alternatives | undefined {
  for (const d of diffs) {
    for (const line of d.lines ?? []) {
      const paths = [...new Set(pathsFromLogLine(line).map((p) => p.path).filter((p) => p.startsWith('/')))];
      if (paths.length < 2) continue;
      const rank = (p: string) => (p === tmpdir ? -1 : TEMP_DIRS.includes(p) ? TEMP_DIRS.indexOf(p) : TEMP_DIRS.length + paths.indexOf(p));
      return { line: normalizeLogLine(line), candidates: [...paths].sort((a, b) => rank(a) - rank(b)).slice(0, MAX_CANDIDATES) };
    }
  }
  return undefined;
}

/** Whether a run's differences still carry the same alternatives line. */
export function stillFailsWith(diffs: readonly Difference[], alt: Alternatives): boolean {
  return diffs.some((d) => (d.lines ?? []).some((l) => normalizeLogLine(l) === alt.line));
}

/** A candidate directory made writable: a change inside it (its entries), as the analysis reads it. */
export function candidateEvent(dir: string): WriteEvent {
  return { path: dir, realPath: dir, op: 'modify', type: 'dir', source: 'verify-log', errno: 'EROFS' };
}
