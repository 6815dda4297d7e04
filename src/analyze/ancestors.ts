import { parentOf } from './paths.js';

/**
 * Every directory with some path below it, for paths given in sorted order (a diff, a set of
 * events): the ancestors of each path, `/` excepted. Pure. Consecutive paths mostly share a
 * parent, so the walk is made once per parent, not per path, and stops at an ancestor
 * already in (all of its own are then in too).
 */
export function ancestorsWithChild<T>(items: Iterable<T>, pathOf: (item: T) => string): Set<string> {
  const out = new Set<string>();
  let last: string | undefined;
  for (const item of items) {
    const path = pathOf(item);
    const i = path.lastIndexOf('/');
    if (last !== undefined && i === last.length && path.startsWith(last)) continue;
    last = i <= 0 ? '/' : path.slice(0, i);
    for (let a = last; a !== '/' && !out.has(a); a = parentOf(a)) out.add(a);
  }
  return out;
}
