// How a log line says a file operation failed (errno words, or an app's own "cannot write X"):
// the first test of pathsFromLogLine (log-paths.ts). Pure.

/** The failure a line reports: the errnos verification tells apart, or any other. */
export type LogErrno = 'EROFS' | 'EACCES' | 'EPERM' | 'ENOENT' | 'other';

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
export function failureKind(line: string): LogErrno | undefined {
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

