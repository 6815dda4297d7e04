import { createHash } from 'node:crypto';

/**
 * What decides an image's outputs, as one hash: the reference, the tool's version, the exercise
 * profile it follows (by content) and the flags that shape the run and the config. `--resume`
 * keeps a finished image only when its fingerprint is the same; concurrency, --quiet and the
 * like are not part of it. Key order does not matter; undefined values are left out.
 */
export function runFingerprint(parts: { readonly image: string; readonly toolVersion: string; readonly profileSha256?: string | undefined; readonly flags: Readonly<Record<string, unknown>> }): string {
  return `sha256:${createHash('sha256').update(canonical(parts)).digest('hex')}`;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
