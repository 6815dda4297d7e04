/**
 * The repository path an image reference names, as profiles match it: registry host, tag and
 * digest left out, Docker Hub's `library/` dropped, lower-cased.
 * `docker.io/library/nginx:1.27` → `nginx`; `localhost:5000/team/app@sha256:…` → `team/app`.
 */
export function repositoryPath(ref: string): string {
  let r = ref.trim().toLowerCase();
  const at = r.indexOf('@');
  if (at >= 0) r = r.slice(0, at);
  const slash = r.lastIndexOf('/');
  const colon = r.lastIndexOf(':');
  if (colon > slash) r = r.slice(0, colon);
  const parts = r.split('/');
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost')) parts.shift();
  if (parts.length > 1 && parts[0] === 'library') parts.shift();
  return parts.join('/');
}

/** `*` matches within one path segment, `**` across segments; everything else literally. */
export function globMatches(pattern: string, path: string): boolean {
  const re = pattern
    .split('**')
    .map((part) => part.split('*').map((lit) => lit.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${re}$`).test(path);
}

/** How specific a pattern is: literal ones win over wildcards, then the longer literal text. */
export function specificity(pattern: string): number {
  const wild = (pattern.match(/\*/g) ?? []).length;
  return (wild === 0 ? 1_000_000 : 0) + pattern.replace(/\*/g, '').length * 10 - wild;
}
