/**
 * A named volume's name for a mount: readable (image and path), valid for Docker
 * ([a-zA-Z0-9][a-zA-Z0-9_.-]*) and Kubernetes claim names, and distinct for distinct paths even
 * when their readable parts agree (/a-b and /a/b), thanks to a short hash of the path.
 */
export function volumeName(imageRef: string, path: string, prefix?: string): string {
  const repo = imageRef.replace(/@.*$/, '').replace(/:[^/:]*$/, '').split('/').pop() ?? 'image';
  // --volume-prefix (a project name) goes first: two services of one image keep their data apart.
  const head = prefix !== undefined ? [slug(prefix)] : [];
  const base = [...head, slug(repo) || 'image', slug(path) || 'root'].join('-').slice(0, 48).replace(/-+$/, '');
  return `${base}-${fnv1a(path).toString(16).padStart(8, '0').slice(0, 6)}`;
}

/** Lower case, runs of anything else than [a-z0-9] as one dash, none at the ends. */
export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** 32-bit FNV-1a over UTF-16 code units: a stable, dependency-free hash. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
