import { RoProfileError } from '../errors.js';

/** "30", "30s", "500ms", "2m", "1h" → milliseconds (a bare number is seconds). */
export function parseDuration(flag: string, value: string | number): number {
  const s = String(value).trim();
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s);
  if (!m) {
    throw new RoProfileError('USAGE', `"--${flag} ${s}" is not a duration`, { hint: `Write it like 30s, 500ms, 2m, or a number of seconds.` });
  }
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return Math.round(n * factor);
}

/** "512m", "1g", "1073741824" → bytes. */
export function parseBytes(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmgt]?)i?b?$/i.exec(value.trim());
  if (!m) throw new RoProfileError('USAGE', `"--${flag} ${value}" is not a size`, { hint: 'Write it like 512m or 2g.' });
  const pow = ['', 'k', 'm', 'g', 't'].indexOf((m[2] ?? '').toLowerCase());
  return Math.round(Number(m[1]) * 1024 ** pow);
}
