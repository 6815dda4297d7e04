import { createHash } from 'node:crypto';

/** Longest readable part of a directory name; the whole name stays under 80 characters. */
const SLUG_MAX = 64;
const HASH_HEX = 12;
/** Names the batch writes beside the image directories. */
const RESERVED = new Set(['summary.json', 'summary.md']);

/**
 * The directory name of an image's outputs under `--out DIR`, for any reference the user may
 * type: lower case letters, digits, `.` and `-`, no leading dot, at most 77 characters, the same
 * for the same reference. A reference that is such a name already is its own directory; any
 * other gets a readable slug, `_`, and 12 hex digits of the sha256 of the exact reference. A
 * slug never holds `_`, so a plain name never equals a hashed one, and two references share a
 * directory only if their hashes collide.
 */
export function safeName(ref: string): string {
  if (isPlain(ref)) return ref;
  const slug = ref
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, SLUG_MAX)
    .replace(/[.-]+$/, '');
  const hash = createHash('sha256').update(ref, 'utf8').digest('hex').slice(0, HASH_HEX);
  return `${slug || 'image'}_${hash}`;
}

function isPlain(ref: string): boolean {
  return ref.length <= SLUG_MAX && /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(ref) && !RESERVED.has(ref);
}
