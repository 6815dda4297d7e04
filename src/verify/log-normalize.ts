// A run-independent form of a log line, so that the lines of a verify run can be told apart from
// those of its baseline (see log-paths.ts). Pure.

export function stripAnsi(line: string): string {
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
