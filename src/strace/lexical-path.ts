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

/** Whether `p` has a `//`, a `.` or `..` segment or a trailing `/`: one pass, as most paths have none. */
function needsNormalizing(p: string): boolean {
  const len = p.length;
  if (len === 0) return true;
  if (len === 1) return p.charCodeAt(0) === 46; // "." (but "/" is fine)
  if (p.charCodeAt(len - 1) === 47 || p.charCodeAt(0) === 46) return true;
  for (let i = 0; i < len - 1; i++) {
    if (p.charCodeAt(i) === 47) {
      const next = p.charCodeAt(i + 1);
      if (next === 47 || next === 46) return true;
    }
  }
  return false;
}
