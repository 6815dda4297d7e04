import { isUnder } from '../analyze/paths.js';
import type { Mount } from '../model/mount-plan.js';
import type { WriteHint } from '../model/exercise-profile.js';

/**
 * The order leave-one-out tries mounts in: first those an exercise profile calls optional or
 * ignorable (at, under or above the hinted path), so a small budget spends its runs where a
 * mount is most likely to go; then the rest, in plan order. A hint only orders the tries: what
 * the runs show decides. Pure.
 */
export function leaveOneOutOrder(mounts: readonly Mount[], hints: readonly WriteHint[]): Mount[] {
  const soft = hints.filter((h) => h.kind !== 'persistent').map((h) => h.path);
  const hinted = (m: Mount) => soft.some((p) => isUnder(m.path, p) || isUnder(p, m.path));
  return [...mounts.filter(hinted), ...mounts.filter((m) => !hinted(m))];
}
