/**
 * Reading an app's log after a verify run: which paths a line says could not be written, whether a
 * line reports a problem at all, and a run-independent form of a line so that the lines of a
 * verify run can be told apart from those of its baseline.
 *
 * Pure: no I/O, no clock. Built from messages captured from real programs (nginx, apache2, redis,
 * postgres, busybox, coreutils, glibc perror/err/error, Python, Java, Perl, Node.js, Go), kept in
 * test/fixtures/log-lines/, but written for the shapes those messages share rather than for each
 * program: a path quoted, bare, or as a whole ": "-separated field; the error text before or after.
 */

import { failureKind, type LogErrno } from './log-failure.js';
import {
  bareCandidates,
  fieldCandidates,
  isContextPath,
  javaCandidates,
  joinedCandidates,
  programPrefix,
  quotedCandidates,
  shellQuotedCandidates,
  tidy,
  withoutOverlaps,
} from './log-path-candidates.js';
import { stripAnsi } from './log-normalize.js';

export type { LogErrno } from './log-failure.js';
export { isErrorLine } from './log-error-line.js';
export { normalizeLogLine } from './log-normalize.js';

export interface LogPath {
  readonly path: string;
  readonly errno: LogErrno;
  /** The reporting program when the line names it in the `prog: message` way of Unix tools. */
  readonly program?: string;
}

/**
 * The absolute paths one log line says could not be written, created, opened or locked, with the
 * failure's kind, in order of appearance and without repeats. Empty when the line reports no
 * file failure, or names only relative files with no directory (postgres' "postmaster.pid").
 */
export function pathsFromLogLine(line: string): LogPath[] {
  const text = stripAnsi(line).replace(/\r$/, '');
  const errno = failureKind(text);
  if (errno === undefined) return [];
  const program = programPrefix(text);
  const candidates = withoutOverlaps(text.length, [
    joinedCandidates(text),
    shellQuotedCandidates(text),
    quotedCandidates(text),
    javaCandidates(text),
    fieldCandidates(text),
    bareCandidates(text),
  ])
    .filter((c) => c.joined === true || !isContextPath(text, c, program))
    .sort((a, b) => a.start - b.start);
  const seen = new Set<string>();
  const out: LogPath[] = [];
  for (const c of candidates) {
    const path = tidy(c.path);
    if (seen.has(path)) continue;
    seen.add(path);
    out.push(program ? { path, errno, program: program.name } : { path, errno });
  }
  return out;
}
