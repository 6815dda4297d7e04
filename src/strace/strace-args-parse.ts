/**
 * The parts of one syscall's text, `(ARGS) = RESULT`, as strace prints them: top-level
 * arguments (quotes, `{}`/`[]`/`()` nesting and `-y` decorations like `3<TCP:[1->2]>` kept
 * whole), quoted strings with their escapes, decoded descriptors and the result.
 */

/** A syscall's arguments and its result, or why they could not be read. */
export type SyscallText =
  | { readonly kind: 'ok'; readonly args: readonly string[]; readonly result: SyscallResult }
  | { readonly kind: 'bad'; readonly reason: string };

/** `= 3</x>`, `= -1 EROFS (Read-only file system)`, `= ?`, `= 0x7f12…`. */
export interface SyscallResult {
  /** The number returned, when strace printed one (`?` gives undefined). */
  readonly value: number | undefined;
  readonly errno: string | undefined;
  /** The `-y` decoration of a returned descriptor: `</var/log/x>` gives "/var/log/x". */
  readonly decoded: string | undefined;
}

const BACKSLASH = 92;
const QUOTE = 34;

/** The characters the argument splitter acts on; all others are skipped with one table look-up. */
const SPECIAL = new Uint8Array(65536);
for (const c of '"<([{)]},') SPECIAL[c.charCodeAt(0)] = 1;

/** Splits `(a, b, {c, d}) = R` (the text from the opening parenthesis at `open`) into arguments and result. */
export function parseSyscallText(text: string, open = 0): SyscallText {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  const len = text.length;
  for (let i = open + 1; i < len; i++) {
    const c = text.charCodeAt(i);
    if (SPECIAL[c] === 0) continue;
    if (c === QUOTE) {
      i = skipQuoted(text, i);
    } else if (c === 60 /* < */) {
      i = skipDecoration(text, i);
    } else if (c === 40 || c === 91 || c === 123) {
      depth++;
    } else if (c === 93 || c === 125 || (c === 41 && depth > 0)) {
      depth--;
    } else if (c === 41 /* ) at depth 0 */) {
      const last = trimmed(text, start, i);
      if (last !== '' || args.length > 0) args.push(last);
      const result = parseResult(text, i + 1);
      return result === undefined ? { kind: 'bad', reason: 'no " = " after the arguments' } : { kind: 'ok', args, result };
    } else if (c === 44 /* , */ && depth === 0) {
      args.push(trimmed(text, start, i));
      start = i + 1;
    }
  }
  return { kind: 'bad', reason: 'the arguments do not end with ")"' };
}

/** `text.slice(from, to).trim()` in one slice (strace separates arguments with ", "). */
function trimmed(text: string, from: number, to: number): string {
  let a = from;
  let b = to;
  while (a < b && isSpace(text.charCodeAt(a))) a++;
  while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
  return text.slice(a, b);
}

/** What String.prototype.trim removes (ASCII white space and line ends, and the Unicode spaces). */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || (c > 127 && UNICODE_SPACES.has(c));
const UNICODE_SPACES: ReadonlySet<number> = new Set([
  0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
]);

/** Index of the closing quote of the string opening at `at` (or the end of the text). */
function skipQuoted(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i;
  }
  return text.length;
}

/** The characters a decoration's end is looked for among; others are skipped with one table look-up. */
const DECORATION_SPECIAL = new Uint8Array(65536);
for (const c of '\\"[]<>') DECORATION_SPECIAL[c.charCodeAt(0)] = 1;

/** Index of the `>` closing a `-y`/`-yy` decoration; `[...]` and quotes inside are skipped (`<TCP:[1:2->3:4]>`). */
function skipDecoration(text: string, at: number): number {
  let angles = 0;
  let brackets = 0;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (DECORATION_SPECIAL[c] === 0) continue;
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) i = skipQuoted(text, i);
    else if (c === 91) brackets++;
    else if (c === 93) brackets--;
    else if (brackets === 0 && c === 60) angles++;
    else if (brackets === 0 && c === 62 && --angles === 0) return i;
  }
  return text.length;
}

function parseResult(text: string, from: number): SyscallResult | undefined {
  let i = from;
  while (text.charCodeAt(i) === 32) i++; // strace pads short calls to column 40
  if (i === from || !text.startsWith('= ', i)) return undefined;
  i += 2;
  const c = text.charCodeAt(i);
  if (c === 63 /* ? */) return { value: undefined, errno: errnoAt(text, i + 1), decoded: undefined };
  const start = i;
  if (c === 45 /* - */) i++;
  while (i < text.length && isNumberChar(text.charCodeAt(i))) i++;
  const value = Number(text.slice(start, i));
  if (Number.isNaN(value) || i === start) return { value: undefined, errno: undefined, decoded: undefined };
  if (text.charCodeAt(i) === 60 /* < */) {
    const end = skipDecoration(text, i);
    return { value, errno: undefined, decoded: decodeDecoration(text.slice(i + 1, end)) };
  }
  return { value, errno: value < 0 ? errnoAt(text, i) : undefined, decoded: undefined };
}

const isNumberChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || c === 120;

/** `-1 EROFS (Read-only…)`: the upper-case word after the number. */
function errnoAt(text: string, from: number): string | undefined {
  if (text.charCodeAt(from) !== 32) return undefined;
  let i = from + 1;
  while (i < text.length && ((text.charCodeAt(i) >= 65 && text.charCodeAt(i) <= 90) || isNumberChar(text.charCodeAt(i)) || text.charCodeAt(i) === 95)) i++;
  return i > from + 1 ? text.slice(from + 1, i) : undefined;
}

/**
 * The path inside a `-y` decoration, unescaped; undefined for what is not a path (`socket:[1]`,
 * `pipe:[2]`, `anon_inode:[eventfd]`, `TCP:[…]`, `/memfd:x (deleted)`). A `-yy` device suffix
 * (`/dev/null<char 1:3>`) and a ` (deleted)` suffix are dropped.
 */
export function decodeDecoration(inner: string): string | undefined {
  if (inner.charCodeAt(0) !== 47 /* / */ || inner.startsWith('/memfd:')) return undefined;
  let path = inner;
  if (path.endsWith('>')) {
    const device = path.lastIndexOf('<');
    if (device > 0) path = path.slice(0, device);
  }
  if (path.endsWith(' (deleted)')) path = path.slice(0, -10);
  return path.includes('\\') ? unescapeBytes(path) : path;
}

/** A descriptor argument: `3`, `3</x>`, `AT_FDCWD`, `AT_FDCWD</app>`, `-100`. */
export interface FdArg {
  /** 'cwd' for AT_FDCWD; NaN when the token is not a descriptor. */
  readonly fd: number | 'cwd';
  /** strace decorated it (`-y`): `decoded` is then all there is to know, even when undefined (a socket). */
  readonly decorated: boolean;
  readonly decoded: string | undefined;
}

export function parseFdArg(token: string): FdArg {
  const lt = token.indexOf('<');
  const head = lt < 0 ? token : token.slice(0, lt);
  const decoded = lt < 0 ? undefined : decodeDecoration(token.slice(lt + 1, token.length - 1));
  const decorated = lt >= 0;
  if (head === 'AT_FDCWD' || head === '-100') return { fd: 'cwd', decorated, decoded };
  return { fd: head === '' ? Number.NaN : Number(head), decorated, decoded };
}

/** A quoted string argument, unescaped; `NULL`, an address or a string cut short (`"abc"...`) is undefined with a reason. */
export type StringArg = { readonly kind: 'string'; readonly value: string } | { readonly kind: 'none'; readonly why: 'null' | 'truncated' | 'not-a-string' };

export function parseStringArg(token: string): StringArg {
  if (token.charCodeAt(0) !== QUOTE) return { kind: 'none', why: token === 'NULL' ? 'null' : 'not-a-string' };
  const end = skipQuoted(token, 0);
  if (end >= token.length) return { kind: 'none', why: 'not-a-string' };
  if (end + 1 < token.length && token.startsWith('...', end + 1)) return { kind: 'none', why: 'truncated' };
  const inner = token.slice(1, end);
  return { kind: 'string', value: inner.includes('\\') ? unescapeBytes(inner) : inner };
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, '"': 34, '\\': 92, "'": 39, '?': 63 };

/** strace's C escapes (`\n`, `\"`, `\\`, `\xHH`, `\NNN` octal) to bytes, then UTF-8 (`\303\251` is "é"). */
export function unescapeBytes(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== BACKSLASH) {
      if (c < 0x80) {
        bytes.push(c);
        continue;
      }
      const cp = s.codePointAt(i) ?? c;
      for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(b);
      if (cp > 0xffff) i++;
      continue;
    }
    const e = s[i + 1] ?? '';
    if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 2, i + 4))) {
      bytes.push(parseInt(s.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (e >= '0' && e <= '7') {
      let j = i + 1;
      while (j < i + 4 && s[j] !== undefined && (s[j] ?? '') >= '0' && (s[j] ?? '') <= '7') j++;
      bytes.push(parseInt(s.slice(i + 1, j), 8) & 0xff);
      i = j - 1;
    } else if (SIMPLE_ESCAPES[e] !== undefined) {
      bytes.push(SIMPLE_ESCAPES[e]);
      i++;
    } else {
      bytes.push(BACKSLASH);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
