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

export type LogErrno = 'EROFS' | 'EACCES' | 'EPERM' | 'ENOENT' | 'other';

export interface LogPath {
  readonly path: string;
  readonly errno: LogErrno;
  /** The reporting program when the line names it in the `prog: message` way of Unix tools. */
  readonly program?: string;
}

// ---------------------------------------------------------------------------------------------
// Failure kinds

type KnownErrno = Exclude<LogErrno, 'other'>;

/**
 * strerror(3) texts (C, Python, Java, Perl, Go in lower case), symbolic names (Node.js) and the
 * Java exceptions whose message is the bare path. Symbolic names are matched case-sensitively:
 * "erofs" is also the name of a Linux file system.
 */
const ERRNO_SIGNS: ReadonlyArray<readonly [KnownErrno, readonly RegExp[]]> = [
  ['EROFS', [/read-only file ?system/i, /\bEROFS\b/, /ReadOnlyFileSystemException/]],
  ['EACCES', [/permission denied/i, /\bEACCES\b/, /AccessDeniedException/]],
  ['EPERM', [/operation not permitted/i, /\bEPERM\b/]],
  ['ENOENT', [/no such file or directory/i, /\bENOENT\b/, /NoSuchFileException/, /\b(?:does not|doesn't) exist\b/i, /\bnot found\b/i]],
];

/** Other errno reports: they make a line a failure report, of kind 'other'. */
const OTHER_ERRNO_SIGNS: readonly RegExp[] = [
  /\[Errno \d+\]/, // Python OSError
  /\(\d+: [A-Z][a-z][^)]*\)/, // nginx "(28: No space left on device)"
  /^\(\d+\)[A-Z]/, // apache "(28)No space left on device: AH..."
  /\bE(?:EXIST|BUSY|NOSPC|DQUOT|MFILE|NFILE|ISDIR|NOTDIR|NOTEMPTY|XDEV|AGAIN|IO|INVAL|NAMETOOLONG|TXTBSY|LOOP)\b/,
  /no space left on device|disk quota exceeded|device or resource busy|file exists|is a directory|not a directory|too many open files|file name too long|invalid cross-device link|text file busy|directory not empty|resource temporarily unavailable|input\/output error|too many levels of symbolic links/i,
];

const FAILING = String.raw`(?:cannot|can't|can ?not|could ?not|couldn't|unable to|fail(?:ed|ure)? to|not able to|error(?: while| when)?)`;
const FILE_VERB = String.raw`(?:writ(?:e|ing)|open(?:ing)?|creat(?:e|ing)|mak(?:e|ing)|mkdir|lock(?:ing)?|renam(?:e|ing)|mov(?:e|ing)|remov(?:e|ing)|unlink(?:ing)?|delet(?:e|ing)|sav(?:e|ing)|append(?:ing)?|truncat(?:e|ing)|touch|(?:sym)?link(?:ing)?|chmod|chown|chang(?:e|ing)|access(?:ing)?|stat|cop(?:y|ying)|replac(?:e|ing)|flush(?:ing)?|stor(?:e|ing)|persist(?:ing)?|updat(?:e|ing)|initiali[sz](?:e|ing)|set ?up|bind(?:ing)?|mount(?:ing)?|allocat(?:e|ing)|dump(?:ing)?|rotat(?:e|ing)|install(?:ing)?|extract(?:ing)?|load(?:ing)?|read(?:ing)?)`;

/** Failure wording without an errno: an app's own "cannot write X, skipping" and the like. */
const FAILURE_PHRASES: readonly RegExp[] = [
  new RegExp(String.raw`\b${FAILING}\s+(?:\S+\s+){0,3}?${FILE_VERB}\b`, 'i'),
  new RegExp(String.raw`\bfailed\s+${FILE_VERB}\b`, 'i'), // redis "Failed opening ..."
  new RegExp(String.raw`\b${FILE_VERB}(?:\(\))?\s.{0,160}?\bfailed\b`, 'i'), // nginx "open() "/x" failed"
  /\bnot (?:writ(?:e)?able|permitted|allowed)\b/i,
  /\b(?:is|are) read-only\b/i,
  /\bno write (?:access|permission)/i,
  /\b\w*(?:FileNotFound|FileSystem|FileAlreadyExists|DirectoryNotEmpty|NotDirectory|IO)Exception\b/,
  /\b(?:OSError|IOError|PermissionError|FileNotFoundError|FileExistsError|IsADirectoryError|NotADirectoryError)\b/,
];

function firstMatchIndex(line: string, patterns: readonly RegExp[]): number {
  let best = -1;
  for (const re of patterns) {
    const i = line.search(re);
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
}

/**
 * The kind of failure a line reports, or undefined when it reports no file failure (so that a
 * path merely mentioned, as in "removed PID file /run/x.pid", is not taken for a broken one).
 * The errno named first wins: a message names its own error before any quoted context.
 */
function failureKind(line: string): LogErrno | undefined {
  let kind: KnownErrno | undefined;
  let at = -1;
  for (const [errno, patterns] of ERRNO_SIGNS) {
    const i = firstMatchIndex(line, patterns);
    if (i >= 0 && (at < 0 || i < at)) [kind, at] = [errno, i];
  }
  if (kind) return kind;
  if (OTHER_ERRNO_SIGNS.some((re) => re.test(line)) || FAILURE_PHRASES.some((re) => re.test(line))) return 'other';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Program

/** Words that take the `prog:` place without being a program. */
const NOT_PROGRAMS = new Set(['error', 'warning', 'warn', 'fatal', 'panic', 'info', 'debug', 'notice', 'note', 'hint', 'usage', 'time', 'level', 'msg', 'code', 'errno', 'syscall', 'path']);

interface ProgramPrefix {
  readonly name: string;
  /** Where the program's own token is, when it is a path that must not count as a failed one. */
  readonly start: number;
  readonly end: number;
}

/**
 * The `prog: ` that Unix tools put first (error(3), err(3), shells, busybox), after apache's
 * "(30)Read-only file system: AH00091: " lead-in. A script path counts only when the shell's
 * line number follows ("/app/start.sh: line 4: ", dash's "/bin/sh: 1: "); otherwise a leading
 * path is perror(3)'s failed path itself.
 */
function programPrefix(line: string): ProgramPrefix | undefined {
  const m = /^((?:\(\d+\)[^:]*: )?(?:AH\d{5}: )?)([a-z._/][\w.+/-]*): /.exec(line);
  if (!m) return undefined;
  const lead = m[1] ?? '';
  const token = m[2] ?? '';
  if (!/[a-z]/i.test(token) || NOT_PROGRAMS.has(token.toLowerCase())) return undefined;
  if (/(?:Error|Exception|Warning)$/.test(token)) return undefined;
  const after = line.slice(m[0].length);
  if (token.startsWith('/') && !/^(?:line )?\d+: /.test(after)) return undefined;
  const name = token.slice(token.lastIndexOf('/') + 1);
  if (name === '') return undefined;
  return { name, start: lead.length, end: lead.length + token.length };
}

// ---------------------------------------------------------------------------------------------
// Path candidates

interface Candidate {
  readonly path: string;
  /** The span of the source text the candidate was read from; candidates never overlap. */
  readonly start: number;
  readonly end: number;
  /** Set for a path made of a relative name and a directory named elsewhere in the line. */
  readonly joined?: true;
}

/** Removes trailing slashes (a directory named as "/p/" is the path "/p"). */
function tidy(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
}

function countOf(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

/**
 * A bare path ends at a blank; what follows it in prose is punctuation: "dir /data)", "file
 * /x.", "open /x: ...". Parentheses are kept when balanced, since "/srv/a(1)" is a path.
 */
function stripTrailing(raw: string): string {
  let s = raw;
  for (;;) {
    const last = s.at(-1);
    if (last !== undefined && '.:,;!?\'"`'.includes(last)) s = s.slice(0, -1);
    else if (last === ')' && countOf(s, ')') > countOf(s, '(')) s = s.slice(0, -1);
    else if (last === ']' && countOf(s, ']') > countOf(s, '[')) s = s.slice(0, -1);
    else return s;
  }
}

const SHELL_ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, e: 27, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34 };

/** The bytes of one $'...' body: GNU ls/coreutils quote bytes that are not printable this way. */
function ansiCBytes(body: string): number[] {
  const bytes: number[] = [];
  const utf8 = new TextEncoder();
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? '';
    if (ch !== '\\') {
      bytes.push(...utf8.encode(ch));
      continue;
    }
    const rest = body.slice(i + 1);
    const octal = /^[0-7]{1,3}/.exec(rest);
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(rest);
    if (octal) {
      bytes.push(parseInt(octal[0], 8) & 0xff);
      i += octal[0].length;
    } else if (hex?.[1] !== undefined) {
      bytes.push(parseInt(hex[1], 16));
      i += hex[0].length;
    } else {
      const next = rest[0] ?? '';
      bytes.push(SHELL_ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return bytes;
}

/** Decodes coreutils' shell-escape quoting, e.g. '/'$'\303\274''n' for "/ün" in the C locale. */
function decodeShellQuoted(token: string): string {
  const bytes: number[] = [];
  const utf8 = new TextEncoder();
  for (const part of token.matchAll(/\$'((?:[^'\\]|\\.)*)'|'([^']*)'/g)) {
    if (part[1] !== undefined) bytes.push(...ansiCBytes(part[1]));
    else bytes.push(...utf8.encode(part[2] ?? ''));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

function shellQuotedCandidates(line: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of line.matchAll(/(?<![\w'])(?:\$'(?:[^'\\\n]|\\.)*'|'[^'\n]*'){2,}/g)) {
    if (!m[0].includes("$'")) continue;
    const path = decodeShellQuoted(m[0]);
    if (path.startsWith('/')) out.push({ path, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * Quoted paths: "...", '...', `...' (old GNU), `...`, ‘...’ (GNU in UTF-8 locales), “...”.
 * A single quote opens only after a non-word character, so "can't" is no quote.
 */
const QUOTED: readonly RegExp[] = [/"([^"\n]*)"/g, /(?<!\w)'([^'\n]*)'/g, /`([^`'\n]*)[`']/g, /‘([^’\n]*)’/g, /“([^”\n]*)”/g];

function quotedCandidates(line: string): Candidate[] {
  const out: Candidate[] = [];
  for (const re of QUOTED) {
    for (const m of line.matchAll(re)) {
      const body = m[1] ?? '';
      if (body.startsWith('/') && !body.startsWith('//')) out.push({ path: body, start: m.index, end: m.index + m[0].length });
    }
  }
  return out;
}

/**
 * Java exceptions put the path first in their message, unquoted and possibly with blanks:
 * FileNotFoundException "PATH (reason)", FileSystemException "PATH: reason" or
 * "PATH -> OTHER: reason", AccessDeniedException / NoSuchFileException just "PATH".
 */
function javaCandidates(line: string): Candidate[] {
  const m = /(?:^|[\s:])(?:[a-zA-Z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error): (?=\/)/.exec(line);
  if (!m) return [];
  const at = m.index + m[0].length;
  const message = line.slice(at);
  const pair = /^(\/.*?) -> (\/.*?)(?:: [^/]*)?$/.exec(message);
  if (pair?.[1] !== undefined && pair[2] !== undefined) {
    const second = at + message.indexOf(' -> ') + 4;
    return [
      { path: pair[1], start: at, end: at + pair[1].length },
      { path: pair[2], start: second, end: second + pair[2].length },
    ];
  }
  const path = (/^(\/.*) \([^()]*\)$/.exec(message) ?? /^(\/.*?): [^/]*$/.exec(message))?.[1] ?? message.trimEnd();
  return [{ path, start: at, end: at + path.length }];
}

/** Words that end a path in prose ("/x for writing"), so a blank before them is no part of it. */
const PROSE_AFTER_PATH = /\s(?:for|to|in|on|at|with|from|as|because|by|of|and|or|while|when|the|failed|error|denied)\b/i;

/** The path in one ": "-separated field, when the whole field (blanks included) is a path. */
function fieldPath(field: string): { path: string; offset: number } | undefined {
  if (field.startsWith('/')) return { path: field.trimEnd(), offset: 0 };
  // err(3)/Go/perl "<verb phrase> /path": the path runs to the field's end
  const m = /(?:^|[\s=])(\/[^\s].*)$/.exec(field);
  if (m?.[1] !== undefined) {
    const rest = m[1].trimEnd();
    if (!/["'`()[\]{}<>]/.test(rest) && !/\s\//.test(rest) && !PROSE_AFTER_PATH.test(rest)) return { path: rest, offset: field.length - m[1].length };
  }
  // "./prog: open(/path): reason"
  const call = /\w\((\/[^()]+)\)$/.exec(field);
  if (call?.[1] !== undefined) return { path: call[1], offset: call.index + 2 };
  return undefined;
}

/**
 * perror(3), err(3), error(3), shells, Go's os.PathError and Java print the path as a whole
 * ": "-separated field, unquoted, so a path with blanks ("touch: /with space: Read-only file
 * system") is only whole when read field by field. The last field is the reason, never a path.
 */
function fieldCandidates(line: string): Candidate[] {
  const out: Candidate[] = [];
  let start = 0;
  for (const sep of line.matchAll(/: +/g)) {
    const field = line.slice(start, sep.index);
    const found = fieldPath(field);
    if (found && found.path.length > 1) {
      const at = start + found.offset;
      out.push({ path: found.path, start: at, end: at + found.path.length });
    }
    start = sep.index + sep[0].length;
  }
  return out;
}

/** A bare path starts after a blank or an opening character; never after ':' (URLs) or a digit ("1/s"). */
const BARE = /(?<=^|[\s=(\[<{,'"])\/(?!\/)[^\s"'`,;<>{}|]+/g;

function bareCandidates(line: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of line.matchAll(BARE)) {
    const path = stripTrailing(m[0]);
    if (path.length > 1) out.push({ path, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * A relative file and the directory it is in, named apart: redis "temp-8.rdb (in server root
 * dir /data)", or "file "x.pid" ... in data directory "/pg"". The joined path replaces both.
 */
function joinedCandidates(line: string): Candidate[] {
  const dir = /\b(?:in|under|inside|within)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:dir|directory|folder|root)\s+["'‘]?(\/[^\s"'’)]*)/i.exec(line);
  if (dir?.[1] === undefined) return [];
  // "file system" of "Read-only file system" names no file
  const relative = /\b(?:file|dir|directory)\s+(?!system\b)["'‘]?([\w.+-][\w.+/-]*)["'’]?(?=[\s:,)]|$)/i.exec(line);
  if (relative?.[1] === undefined || relative.index > dir.index) return [];
  const dirPath = tidy(stripTrailing(dir[1]));
  const name = relative[1].replace(/^\.\//, '');
  const start = relative.index;
  const end = dir.index + dir[0].length;
  return [{ path: dirPath === '/' ? `/${name}` : `${dirPath}/${name}`, start, end, joined: true }];
}

/**
 * Keeps candidates in priority order, dropping any that overlaps one already kept. Coverage is
 * marked per character so that a long line with many paths stays linear.
 */
function withoutOverlaps(length: number, groups: readonly Candidate[][]): Candidate[] {
  const covered = new Uint8Array(length + 1);
  const kept: Candidate[] = [];
  for (const group of groups) {
    for (const c of group) {
      if (covered.subarray(c.start, c.end).includes(1)) continue;
      covered.fill(1, c.start, c.end);
      kept.push(c);
    }
  }
  return kept;
}

const HTTP_REQUEST = /\b(?:GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|CONNECT|TRACE|PROPFIND)\s+$/;

/**
 * Paths a line names that are not what failed: the source location of the message (nginx "in
 * /etc/nginx/nginx.conf:12", perl "at /x.pl line 3.", Python "File "/x.py", line 3"), an HTTP
 * request target, and the program itself.
 */
function isContextPath(line: string, c: Candidate, program: ProgramPrefix | undefined): boolean {
  if (program && c.start < program.end && program.start < c.end) return true;
  // short windows around the candidate keep a line with many paths linear
  const after = line.slice(c.end, c.end + 24);
  const before = line.slice(Math.max(0, c.start - 24), c.start);
  if (/:\d+$/.test(c.path) || /^:\d+\b/.test(after) || /^,? line \d+/.test(after)) return true;
  return HTTP_REQUEST.test(before);
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

// ---------------------------------------------------------------------------------------------
// Error lines

/** Words of error and warning reports; checked on the line with its paths taken out. */
const ERROR_WORDS: readonly RegExp[] = [
  /\berr(?:or|ors)?\b/i,
  /\bwarn(?:ing|ings)?\b/i,
  /\b(?:fatal|emerg|emergency|alert|crit|critical|panic|panicked|severe)\b/i,
  /\btraceback\b/i,
  /[a-z](?:Error|Exception)\b|\bException\b/,
  /\bfail(?:s|ed|ure|ures|ing)?\b/i,
  /\bunable to\b|\bcould ?n(?:o|')t\b|\bcan(?:'|no)t\b|\bcan not\b/i,
  /\bdenied\b|\bnot (?:permitted|allowed|writ(?:e)?able)\b|\bread-only file ?system\b|\bis read-only\b/i,
  /no such file or directory|no space left on device|disk quota exceeded|device or resource busy|too many open files/i,
  /\b(?:does not|doesn't) exist\b|\bnot found\b/i,
  /\b(?:aborted|segmentation fault|core dumped|killed|refused|timed out|corrupt(?:ed|ion)?|unexpected(?:ly)?)\b/i,
  /\b(?:missing|invalid|unrecognized|unknown|illegal) (?:operand|option|argument|directive|parameter|value)/i,
  /\bE(?:ROFS|ACCES|PERM|NOENT|EXIST|BUSY|NOSPC|DQUOT|MFILE|ISDIR|NOTDIR|NOTEMPTY|XDEV|AGAIN|IO|INVAL|ADDRINUSE|CONNREFUSED)\b/,
];

/** "0 errors", "no warnings": counts of nothing are no report. */
const NOTHING_WRONG = /\b(?:0|no|zero|without)\s+(?:errors?|warnings?|failures?)\b/gi;

/**
 * redis logs at warning level ('#') its own startup and shutdown banner (7.0 does), so '#' marks
 * a warning except for these.
 */
const REDIS_BANNER = /^(?:oO0OoO0OoO0Oo Redis is starting|Redis version=|Configuration loaded|Server initialized|User requested shutdown|Redis is now ready to exit|Server started|Redis \d+\.\d+\.\d+ \()/;
const REDIS_LINE = /^\d+:[A-Z] \d{1,2} [A-Z][a-z]{2} \d{4} [\d:.]+ ([.\-*#]) (.*)$/;

/** Severity letters: glog "E1125 21:25:38.123 ...", apt "E: ", logcat-style " E " among the first fields. */
function hasSeverityLetter(line: string): boolean {
  if (/^[EFW]\d{4} \d\d:\d\d:\d\d/.test(line) || /^[EW]: /.test(line)) return true;
  // only after a pid, time or "]" field, so a word "E" or a class named W in prose is no level
  return /(?:\d|\])\s+[EFW]\s/.test(line.slice(0, 60));
}

/**
 * A frame of a Java or Node.js stack trace ("\tat java.base/sun.nio.fs.UnixException.translate(...)"):
 * the exception line above it is the report; its frames name exception classes without being one.
 */
const STACK_FRAME = /^\s+at (?:async )?[\w$.<>/\[\]-]+(?: \(.*\)|\(.*\))?(?: \{)?$/;

/** The line with absolute paths taken out, so "/var/log/error.log" is no error word. */
function withoutPaths(line: string): string {
  return line.replace(/(?<=^|[\s=(\[<{,'"`‘“])\/[^\s"'`’”,;<>{}|]*/g, ' ');
}

/**
 * Whether a line reports an error or a warning of any kind. Generous on purpose: the caller keeps
 * only lines that are new against a baseline run, so a warning every run prints costs nothing,
 * while an app's own "cannot write X, skipping" must not be missed.
 */
export function isErrorLine(line: string): boolean {
  const text = stripAnsi(line);
  if (STACK_FRAME.test(text)) return false;
  const redis = REDIS_LINE.exec(text);
  if (redis) {
    if (redis[1] === '#' && !REDIS_BANNER.test(redis[2] ?? '')) return true;
  } else if (hasSeverityLetter(text)) return true;
  const words = withoutPaths(text).replace(NOTHING_WRONG, ' ');
  return ERROR_WORDS.some((re) => re.test(words));
}

// ---------------------------------------------------------------------------------------------
// Normalizing

function stripAnsi(line: string): string {
  return line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\.?';
const WEEKDAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?';
const CLOCK = '\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?';
const ZONE = '(?:Z|[+-]\\d{2}:?\\d{2}|UTC|GMT|[ECMP][SD]T|CES?T|BST|IST|JST)';

/** Timestamps, longest forms first so a date is never masked apart from its time. */
const TIMESTAMPS: readonly RegExp[] = [
  // ISO 8601 / RFC 3339, postgres "2026-11-25 21:25:38.123 UTC", nginx and Go "2026/11/25 21:25:38"
  new RegExp(`\\b\\d{4}[-/]\\d{2}[-/]\\d{2}(?:[T ]${CLOCK})?(?:\\s?${ZONE}\\b)?`, 'g'),
  // redis "25 Nov 2026 21:25:38.123", RFC 2822 "Wed, 25 Nov 2026 21:25:38 +0000"
  new RegExp(`\\b(?:${WEEKDAY}\\s+)?\\d{1,2}[ -]${MONTH}[ -]\\d{4}(?:[\\s:]${CLOCK})?(?:\\s+${ZONE}\\b)?`, 'g'),
  // syslog "Nov 25 21:25:38", date(1) "Wed Nov 25 21:25:38 UTC 2026", apache, java.util.logging
  new RegExp(`\\b(?:${WEEKDAY}\\s+)?${MONTH}\\s+\\d{1,2},?(?:\\s+\\d{4})?\\s+${CLOCK}(?:\\s*[AP]M\\b)?(?:\\s+${ZONE}\\b)?(?:\\s+\\d{4}\\b)?`, 'g'),
  // common log format (nginx, apache access logs) "25/Nov/2026:21:25:38 +0000"
  new RegExp(`\\b\\d{1,2}/${MONTH}/\\d{4}:\\d{2}:\\d{2}:\\d{2}(?:\\s?${ZONE})?`, 'g'),
  new RegExp(`\\b\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?\\b`, 'g'),
];

/** Durations in one form whatever the unit: "12ms" and "1.2s" are the same message. */
const DURATIONS: readonly RegExp[] = [
  /\b(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+\b/g, // Go "1m2.5s", "350ms"
  /\b\d+(?:\.\d+)? ?(?:s|secs?|seconds?|ms|msecs?|milliseconds?|microseconds?|mins?|minutes?|hours?)\b/g,
];

/**
 * Machine-made ids: UUIDs, 0x addresses, and hex runs of 6+ with a letter and a digit (container
 * and commit ids). They become N like numbers, so an id that happens to be all digits agrees.
 */
const IDS: readonly RegExp[] = [
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
  /\b0x[0-9a-f]+\b/gi,
  /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b/gi,
];

/**
 * A form of a line in which the same message from two runs compares equal: timestamps become
 * <TS>, durations <DUR>; pids ("[123]", "pid 123", redis "1:M", nginx "1#1"), ports
 * ("127.0.0.1:12345"), temp-file numbers ("temp-8.rdb"), ids and any other digit run become N;
 * blanks are collapsed and trimmed.
 */
export function normalizeLogLine(line: string): string {
  let s = stripAnsi(line);
  for (const re of TIMESTAMPS) s = s.replace(re, '<TS>');
  for (const re of IDS) s = s.replace(re, 'N');
  for (const re of DURATIONS) s = s.replace(re, '<DUR>');
  return s
    .replace(/\d+/g, 'N')
    .replace(/\s+/g, ' ')
    .trim();
}
