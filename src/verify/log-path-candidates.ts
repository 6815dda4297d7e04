// Where a log line names paths: quoted, shell-escaped, bare, as a whole ": "-separated field, and
// which of them are only context (the program, a source location, a request). Pure; used by
// pathsFromLogLine (log-paths.ts).

/** Words that take the `prog:` place without being a program. */
const NOT_PROGRAMS = new Set(['error', 'warning', 'warn', 'fatal', 'panic', 'info', 'debug', 'notice', 'note', 'hint', 'usage', 'time', 'level', 'msg', 'code', 'errno', 'syscall', 'path']);

export interface ProgramPrefix {
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
export function programPrefix(line: string): ProgramPrefix | undefined {
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

export interface Candidate {
  readonly path: string;
  /** The span of the source text the candidate was read from; candidates never overlap. */
  readonly start: number;
  readonly end: number;
  /** Set for a path made of a relative name and a directory named elsewhere in the line. */
  readonly joined?: true;
}

/** Removes trailing slashes (a directory named as "/p/" is the path "/p"). */
export function tidy(path: string): string {
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

export function shellQuotedCandidates(line: string): Candidate[] {
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

export function quotedCandidates(line: string): Candidate[] {
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
export function javaCandidates(line: string): Candidate[] {
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
export function fieldCandidates(line: string): Candidate[] {
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

export function bareCandidates(line: string): Candidate[] {
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
export function joinedCandidates(line: string): Candidate[] {
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
export function withoutOverlaps(length: number, groups: readonly Candidate[][]): Candidate[] {
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
export function isContextPath(line: string, c: Candidate, program: ProgramPrefix | undefined): boolean {
  if (program && c.start < program.end && program.start < c.end) return true;
  // short windows around the candidate keep a line with many paths linear
  const after = line.slice(c.end, c.end + 24);
  const before = line.slice(Math.max(0, c.start - 24), c.start);
  if (/:\d+$/.test(c.path) || /^:\d+\b/.test(after) || /^,? line \d+/.test(after)) return true;
  return HTTP_REQUEST.test(before);
}
