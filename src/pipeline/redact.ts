import { RoProfileError } from '../errors.js';
import type { LaunchSecrets } from '../model/run-spec.js';

const MASK = '***';

/**
 * Removes secret values from text we record or print: an exercise command the user typed, an
 * app echoing its environment, a crash log. Very short values are skipped (masking "1" would
 * garble everything and protect nothing).
 */
export function redactor(secrets: LaunchSecrets): (text: string) => string {
  const values = [...new Set([...secrets.values()].filter((v) => v.length >= 4))].sort((a, b) => b.length - a.length);
  if (values.length === 0) return (t) => t;
  return (text) => values.reduce((t, v) => t.split(v).join(MASK), text);
}

export function redactError(e: unknown, redact: (t: string) => string): unknown {
  if (!(e instanceof RoProfileError)) return e;
  const message = redact(e.message);
  if (message === e.message) return e;
  return new RoProfileError(e.code, message, { ...(e.hint ? { hint: redact(e.hint) } : {}), details: e.details, cause: e.cause });
}
