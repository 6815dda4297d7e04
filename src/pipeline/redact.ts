import { RoProfileError } from '../errors.js';
import type { LaunchSecrets } from '../model/run-spec.js';

const MASK = '***';

/**
 * Removes secret values from text we record or print: an exercise command the user typed, an
 * app echoing its environment, a crash log. A value of four characters or more is masked
 * wherever it appears. A shorter one is masked where it is that variable's value (`NAME=ab`,
 * `NAME: ab`, `"NAME":"ab"`) and as a word of its own, so a short password in a command line
 * or a log line is gone too; only a short value of digits alone is left as a word (masking
 * every "1" in "exit code 1" would garble everything and protect nothing).
 */
export function redactor(secrets: LaunchSecrets): (text: string) => string {
  const long = [...new Set([...secrets.values()].filter((v) => v.length >= 4))].sort((a, b) => b.length - a.length);
  const short = [...secrets].filter(([, v]) => v.length > 0 && v.length < 4);
  if (long.length === 0 && short.length === 0) return (t) => t;
  const patterns = short.map(([name, v]) => {
    const value = escapeRegExp(v);
    const assigned = `(?<=\\b${escapeRegExp(name)}["']?\\s*[=:]\\s*["']?)${value}(?![\\w])`;
    const word = /^\d+$/.test(v) ? '' : `|(?<![\\w-])${value}(?![\\w-])`;
    return new RegExp(`${assigned}${word}`, 'g');
  });
  return (text) => {
    let t = long.reduce((acc, v) => acc.split(v).join(MASK), text);
    for (const re of patterns) t = t.replace(re, MASK);
    return t;
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function redactError(e: unknown, redact: (t: string) => string): unknown {
  if (!(e instanceof RoProfileError)) return e;
  const message = redact(e.message);
  if (message === e.message) return e;
  return new RoProfileError(e.code, message, { ...(e.hint ? { hint: redact(e.hint) } : {}), details: e.details, cause: e.cause });
}
