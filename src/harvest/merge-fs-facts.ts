import { compareStrings } from '../analyze/paths.js';
import type { FsFacts } from '../model/fs-facts.js';

/**
 * Facts from two readings (the profiled container's diff, and the image view read for traced
 * paths): the first reading wins for a directory or link both know; the result is sorted by path.
 */
export function mergeFsFacts(first: FsFacts, second: FsFacts): FsFacts {
  const dirs = new Map(first.dirs.map((d) => [d.path, d]));
  for (const d of second.dirs) if (!dirs.has(d.path)) dirs.set(d.path, d);
  const links = new Map(first.symlinks.map((l) => [l.path, l]));
  for (const l of second.symlinks) if (!links.has(l.path)) links.set(l.path, l);
  const tools = first.tools ?? second.tools;
  return {
    dirs: [...dirs.values()].sort((a, b) => compareStrings(a.path, b.path)),
    symlinks: [...links.values()].sort((a, b) => compareStrings(a.path, b.path)),
    ...(tools ? { tools } : {}),
  };
}
