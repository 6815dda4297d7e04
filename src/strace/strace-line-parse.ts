/**
 * One line of strace output, classified without parsing its arguments: the caller decides
 * from the syscall name whether the rest is worth reading (most lines are not).
 *
 * Accepts what strace prints with `-f` (`1234  ` or `[pid  1234] `), `-ff` (no prefix),
 * `-t`/`-tt`/`-ttt`/`-r` timestamps, `<unfinished ...>` and `<... NAME resumed>` halves,
 * signals (`--- SIGCHLD {...} ---`), exits (`+++ exited with 0 +++`) and strace's own notices.
 */
export type StraceLine =
  /** `open` is the index of `(`; `unfinishedAt` the index of ` <unfinished ...>`, or -1. */
  | { readonly kind: 'syscall'; readonly pid: number | undefined; readonly name: string; readonly open: number; readonly unfinishedAt: number }
  /** `restAt` is the index just after `resumed>`. */
  | { readonly kind: 'resumed'; readonly pid: number | undefined; readonly name: string; readonly restAt: number }
  | { readonly kind: 'signal'; readonly pid: number | undefined }
  | { readonly kind: 'exit'; readonly pid: number | undefined }
  | { readonly kind: 'notice' }
  | { readonly kind: 'blank' }
  | { readonly kind: 'malformed'; readonly reason: string };

const UNFINISHED = ' <unfinished ...>';
const DETACHED = ' <detached ...>';
const BLANK: StraceLine = { kind: 'blank' };
const NOTICE: StraceLine = { kind: 'notice' };

const SPACE = 32;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** Letters, digits, `_` and `?` (strace prints `????(` for a syscall it could not read on attach). */
const isNameChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || isDigit(c) || c === 95 || (c >= 65 && c <= 90) || c === 63;

/** Classifies one line (without its newline). Pure; allocates only the name. */
export function parseStraceLine(line: string): StraceLine {
  const len = line.length;
  if (len === 0) return BLANK;
  let i = 0;
  let pid: number | undefined;
  const c0 = line.charCodeAt(0);
  if (c0 === 91 /* [ */) {
    if (line.startsWith('[pid ', 0)) {
      i = 5;
      while (line.charCodeAt(i) === SPACE) i++;
      const start = i;
      while (isDigit(line.charCodeAt(i))) i++;
      if (i === start || line.charCodeAt(i) !== 93 /* ] */) return { kind: 'malformed', reason: 'bad [pid N] prefix' };
      pid = Number(line.slice(start, i));
      i++;
    } else if (line.startsWith('[ Process PID=', 0)) {
      return NOTICE;
    }
  } else if (isDigit(c0)) {
    while (isDigit(line.charCodeAt(i))) i++;
    if (line.charCodeAt(i) === SPACE) pid = Number(line.slice(0, i));
    else i = 0; // `-ttt` or `-t` timestamp of an -ff file: read below
  } else if (line.startsWith('strace: ', 0) || line.startsWith(' > ', 0)) {
    return NOTICE; // strace's own messages ("Process 12 attached"), `-k` stack frames
  }
  i = skipTimestamps(line, i);
  if (i >= len) return { kind: 'malformed', reason: 'nothing after the prefix' };
  const c = line.charCodeAt(i);
  if (isNameChar(c) && !isDigit(c)) return syscallLine(line, i, pid);
  if (c === 60 /* < */) return resumedLine(line, i, pid);
  if (c === 45 /* - */ && line.startsWith('--- ', i) && line.endsWith('---')) return { kind: 'signal', pid };
  if (c === 43 /* + */ && line.startsWith('+++ ', i) && line.endsWith('+++')) return { kind: 'exit', pid };
  return { kind: 'malformed', reason: 'not a syscall, signal or exit' };
}

/** Skips spaces and up to two timestamp fields (`20:26:00.653119`, `1795638364.419292`, `0.000123`). */
function skipTimestamps(line: string, from: number): number {
  let i = from;
  for (let field = 0; field < 3; field++) {
    while (line.charCodeAt(i) === SPACE) i++;
    if (!isDigit(line.charCodeAt(i)) || field === 2) break;
    let j = i;
    for (let c = line.charCodeAt(j); isDigit(c) || c === 46 || c === 58; c = line.charCodeAt(++j));
    if (line.charCodeAt(j) !== SPACE) return i; // not a timestamp: let the caller call it malformed
    i = j;
  }
  return i;
}

function syscallLine(line: string, at: number, pid: number | undefined): StraceLine {
  let i = at;
  while (isNameChar(line.charCodeAt(i))) i++;
  if (line.charCodeAt(i) !== 40 /* ( */) return { kind: 'malformed', reason: 'no "(" after the syscall name' };
  const name = line.slice(at, i);
  if (line.endsWith(UNFINISHED)) return { kind: 'syscall', pid, name, open: i, unfinishedAt: line.length - UNFINISHED.length };
  // A call cut short because strace detached: nothing more will come for it.
  if (line.endsWith(DETACHED)) return { kind: 'syscall', pid, name, open: i, unfinishedAt: line.length - DETACHED.length };
  if (line.lastIndexOf(' = ') < i) return { kind: 'malformed', reason: 'no " = " result' };
  return { kind: 'syscall', pid, name, open: i, unfinishedAt: -1 };
}

function resumedLine(line: string, at: number, pid: number | undefined): StraceLine {
  if (!line.startsWith('<... ', at)) return { kind: 'malformed', reason: 'a "<" that is not "<... NAME resumed>"' };
  const end = line.indexOf('resumed>', at + 5);
  if (end < 0) return { kind: 'malformed', reason: 'no "resumed>"' };
  const name = line.slice(at + 5, end).trim();
  return { kind: 'resumed', pid, name, restAt: end + 8 };
}
