/**
 * Lexical path resolution: `..` and `.` are folded and the path joined to its base, without
 * touching any filesystem (symlinks are resolved later, against the image).
 */

/**
 * `p` against the directory `base`. An absolute `p` ignores `base`; a relative `p` with no known
 * base stays relative (normalised), which callers can tell by its missing leading "/".
 */
export function resolveLexical(base: string | undefined, p: string): string {
  if (p.charCodeAt(0) === 47 /* / */) return normalizePath(p);
  if (base === undefined) return normalizePath(p);
  return normalizePath(base === '/' ? `/${p}` : `${base}/${p}`);
}

/** Folds `//`, `/./`, `/../` and a trailing `/`; `..` above the root stays at the root. */
export function normalizePath(p: string): string {
  if (!needsNormalizing(p)) return p;
  const absolute = p.charCodeAt(0) === 47;
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else {
      out.push(part);
    }
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined === '' ? '.' : joined;
}

function needsNormalizing(p: string): boolean {
  if (p === '' || p === '/') return p === '';
  if (p.endsWith('/') || p.includes('//')) return true;
  return p.includes('/.') || p.startsWith('.');
}
