import { stripAnsi } from './log-normalize.js';

// Whether a log line reports a problem at all (see log-paths.ts). Pure.

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

