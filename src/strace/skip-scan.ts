/**
 * The cheap first look at a line, made on the decoded chunk before any string is cut from it:
 * most lines of a trace are complete calls of syscalls that cannot write (`read`, `futex`,
 * `epoll_wait`…) or descriptor upkeep a `-y` trace does not need, and all the parser does with
 * them is count them and note their pid. This finds those lines with `charCodeAt` loops and no
 * allocation; every other line (and any line this is unsure of) goes to the full parser.
 *
 * It must agree with `parseStraceLine` on every line it claims: the prefix rules below mirror it.
 */

const UNFINISHED = ' <unfinished ...>';
const DETACHED = ' <detached ...>';
const SPACE = 32;
/** More digits than this could lose precision as a number: left to the full parser. */
const MAX_PID_DIGITS = 10;

/** Character classes by char code, one table look-up per character instead of a chain of comparisons. */
const DIGIT = 1;
const NAME = 2; // letters, digits, `_` and `?`, as parseStraceLine's isNameChar
const STAMP = 4; // digits, `.` and `:` of a timestamp
const CLASS = new Uint8Array(65536);
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT | NAME | STAMP;
for (let c = 97; c <= 122; c++) CLASS[c] = NAME;
for (let c = 65; c <= 90; c++) CLASS[c] = NAME;
CLASS[95] = NAME;
CLASS[63] = NAME;
CLASS[46] = STAMP;
CLASS[58] = STAMP;
const isDigit = (c: number): boolean => (CLASS[c]! & DIGIT) !== 0;
const isNameChar = (c: number): boolean => (CLASS[c]! & NAME) !== 0;

/** Whether a complete call of a handled syscall can be skipped unparsed, from a look at its text in [open, end). */
export type SkipTest = (text: string, open: number, end: number) => boolean;

/**
 * Syscall names found by a hash of their characters, so a name is looked up without cutting it
 * out: the hash picks a slot in a table sized so that no two names share one, and the name in it
 * is then compared character by character.
 */
export class NameTable<T> {
  private readonly names: string[] = [''];
  private readonly values: (T | undefined)[] = [undefined];
  private readonly slots: Uint16Array;
  private readonly mask: number;

  constructor(entries: Iterable<readonly [string, T]>) {
    const hashes: number[] = [];
    for (const [name, value] of entries) {
      this.names.push(name);
      this.values.push(value);
      hashes.push(nameHash(name, 0, name.length));
    }
    let size = 64;
    while (new Set(hashes.map((h) => h & (size - 1))).size < hashes.length) {
      size *= 2;
      if (size > 1 << 16) throw new Error('two syscall names have the same hash');
    }
    this.mask = size - 1;
    this.slots = new Uint16Array(size);
    hashes.forEach((h, i) => (this.slots[h & this.mask] = i + 1));
  }

  /** The index of the name `text.slice(at, end)`, whose {@link nameHash} is `hash`; 0 when it is not in the table. */
  find(text: string, at: number, end: number, hash: number): number {
    const index = this.slots[hash & this.mask]!;
    if (index === 0) return 0;
    const name = this.names[index]!;
    if (name.length !== end - at) return 0;
    for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) !== text.charCodeAt(at + i)) return 0;
    return index;
  }

  value(index: number): T | undefined {
    return this.values[index];
  }

  name(index: number): string {
    return this.names[index]!;
  }
}

export function nameHash(text: string, at: number, end: number): number {
  let h = 0;
  for (let i = at; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/** What {@link FirstLook.scan} found. */
export const enum Look {
  /** Anything else: for the full parser. */
  Other,
  /** A well-formed syscall line the parser only counts: a call with no handler, or a complete call its handler's skip test lets go. */
  Skipped,
  /** A well-formed `<... NAME resumed>` line with a pid prefix: skipped when that pid has no first half waiting. */
  Resumed,
  /** A well-formed call of a handled syscall that must be read: `name`, `open` and `unfinishedAt` say where, as parseStraceLine would. */
  Handled,
}

/**
 * The first look at one line, reused from line to line so that it allocates nothing: `scan`
 * says what the line is and leaves its pid in `pid` (-1 when it has no pid prefix).
 */
export class FirstLook {
  pid = -1;
  /** For {@link Look.Handled}: the syscall, the index of its "(", and of ` <unfinished ...>` (or ` <detached ...>`), or -1. */
  name = '';
  open = -1;
  unfinishedAt = -1;

  constructor(private readonly handled: NameTable<SkipTest | undefined>) {}

  scan(text: string, start: number, end: number): Look {
    this.pid = -1;
    if (end <= start) return Look.Other;
    const at = this.prefixEnd(text, start, end);
    if (at < 0 || at >= end) return Look.Other;
    const c = text.charCodeAt(at);
    if (c === 60 /* < */) return this.pid >= 0 && isResumed(text, at, end) ? Look.Resumed : Look.Other;
    if (!isNameChar(c) || isDigit(c)) return Look.Other;
    if (at === start && c === 115 /* s */ && text.startsWith('strace: ', at)) return Look.Other;
    let i = at;
    let h = 0;
    for (let n = c; i < end && isNameChar(n); n = text.charCodeAt(++i)) h = (Math.imul(h, 31) + n) | 0;
    if (i >= end || text.charCodeAt(i) !== 40 /* ( */) return Look.Other;
    const open = i;
    // Both ` <unfinished ...>` and ` <detached ...>` end with ">"; a complete call seldom does.
    const cutShort = text.charCodeAt(end - 1) === 62 && (endsWith(text, UNFINISHED, open, end) || endsWith(text, DETACHED, open, end));
    const index = this.handled.find(text, at, open, h);
    if (index === 0) return cutShort || hasResult(text, open, end) ? Look.Skipped : Look.Other;
    if (!cutShort && !hasResult(text, open, end)) return Look.Other;
    const skip = this.handled.value(index);
    if (!cutShort && skip !== undefined && skip(text, open, end)) return Look.Skipped;
    this.name = this.handled.name(index);
    this.open = open;
    this.unfinishedAt = !cutShort ? -1 : endsWith(text, UNFINISHED, open, end) ? end - UNFINISHED.length : end - DETACHED.length;
    return Look.Handled;
  }

  /** Where the call begins, after the pid and timestamps (as parseStraceLine reads them); -1 for a prefix left to the full parser. */
  private prefixEnd(text: string, start: number, end: number): number {
    let i = start;
    const c0 = text.charCodeAt(start);
    if (c0 === 91 /* [ */) {
      if (!text.startsWith('[pid ', start)) return -1;
      i += 5;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      const digits = i;
      let n = 0;
      for (let c = text.charCodeAt(i); i < end && isDigit(c); c = text.charCodeAt(++i)) n = n * 10 + c - 48;
      if (i === digits || i - digits > MAX_PID_DIGITS || i >= end || text.charCodeAt(i) !== 93 /* ] */) return -1;
      this.pid = n;
      i++;
    } else if (isDigit(c0)) {
      let n = 0;
      for (let c = c0; i < end && isDigit(c); c = text.charCodeAt(++i)) n = n * 10 + c - 48;
      if (i < end && text.charCodeAt(i) === SPACE) {
        if (i - start > MAX_PID_DIGITS) return -1;
        this.pid = n;
      } else {
        i = start; // `-ttt` or `-t` timestamp of an -ff file
      }
    } else if (!isNameChar(c0) && c0 !== SPACE) {
      return -1; // `<... resumed>` with no pid, `--- SIG`, `+++ exited`, notices: the full parser's
    }
    return skipTimestamps(text, i, end);
  }
}

/** As parseStraceLine's resumedLine: `<... ` and then `resumed>`. */
function isResumed(text: string, at: number, end: number): boolean {
  return text.startsWith('<... ', at) && includesWithin(text, 'resumed>', at + 5, end);
}

/** As `parseStraceLine`: spaces and up to two timestamp fields, within [from, end). */
function skipTimestamps(text: string, from: number, end: number): number {
  let i = from;
  for (let field = 0; field < 3; field++) {
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    if (i >= end || !isDigit(text.charCodeAt(i)) || field === 2) break;
    let j = i;
    while (j < end && (CLASS[text.charCodeAt(j)]! & STAMP) !== 0) j++;
    if (j >= end || text.charCodeAt(j) !== SPACE) return i;
    i = j;
  }
  return i;
}

function endsWith(text: string, suffix: string, from: number, end: number): boolean {
  return end - suffix.length >= from && text.startsWith(suffix, end - suffix.length);
}

/** Whether " = " comes after the "(" at `open`, searched from the end where the result is. */
function hasResult(text: string, open: number, end: number): boolean {
  for (let j = end - 2; j > open + 1; j--) {
    if (text.charCodeAt(j) === 61 /* = */ && text.charCodeAt(j - 1) === SPACE && text.charCodeAt(j + 1) === SPACE) return true;
  }
  return false;
}

/**
 * Whether `needle` occurs wholly within [from, end) of `text`; never looks past `end`. Searched
 * from the end, where the arguments these tests look for (`-1, 0) = …`, `PROT_EXEC) = 0`) are.
 */
export function includesWithin(text: string, needle: string, from: number, end: number): boolean {
  const first = needle.charCodeAt(0);
  for (let i = end - needle.length; i >= from; i--) {
    if (text.charCodeAt(i) === first && text.startsWith(needle, i)) return true;
  }
  return false;
}

/**
 * {@link includesWithin} for the lines of a chunk taken in order, with `indexOf` (much faster than
 * a loop) and without rescanning: it remembers where the needle next occurs, so a line that does
 * not hold it costs nothing more when the next occurrence is lines ahead. Keeps a reference to the
 * last text searched (one chunk).
 */
export class ForwardSearch {
  private text = '';
  private from = 0;
  /** The first occurrence at or after `from` in `text`, or -1 for none. */
  private at = -1;

  constructor(private readonly needle: string) {}

  within(text: string, from: number, end: number): boolean {
    if (text !== this.text || from < this.from || (this.at >= 0 && from > this.at)) {
      this.text = text;
      this.from = from;
      this.at = text.indexOf(this.needle, from);
    }
    return this.at >= 0 && this.at + this.needle.length <= end;
  }
}
