import type { DirFacts, Symlink } from '../model/fs-facts.js';
import type { Finding, Mount } from '../model/mount-plan.js';
import { compareStrings, isUnder } from './paths.js';

/**
 * What symlinks mean for the mounts: a path the app may name through a link (the mount names
 * the real directory), and a link whose target a mount hides without a nested mount keeping it
 * (Debian's /var/lock -> /run/lock under a tmpfs on /run: `mkdir -p /var/lock/x` then fails).
 */
export function symlinkFindings(symlinks: readonly Symlink[], mounts: readonly Mount[], facts: ReadonlyMap<string, DirFacts>): Finding[] {
  const out: Finding[] = [];
  const paths = mounts.map((m) => m.path).sort(compareStrings);
  for (const link of symlinks) {
    const related = paths.filter((m) => isUnder(m, link.target) || isUnder(link.target, m));
    if (related.length > 0) {
      out.push({
        kind: 'symlink-alias',
        severity: 'info',
        path: link.path,
        message: `${link.path} is a symlink to ${link.target}: paths through it reach ${related.join(', ')}, and mounts always name the real directory`,
        evidence: [`${link.path} -> ${link.target}`],
      });
    }
    // The innermost mount holding the target: it hides the target unless a mount sits at (or above) it.
    const holder = paths.filter((m) => isUnder(link.target, m) && m !== link.target).pop();
    // A volume (seeded or not) starts with the image's copy of the directory: only a tmpfs hides.
    if (holder === undefined || mounts.find((m) => m.path === holder)?.kind !== 'tmpfs') continue;
    if (paths.some((m) => isUnder(link.target, m) && isUnder(m, holder) && m !== holder)) continue;
    const first = link.target.slice(holder === '/' ? 1 : holder.length + 1).split('/')[0];
    const shipped = facts.get(holder)?.shipped.some((s) => s.name === first) ?? false;
    if (!shipped) continue;
    out.push({
      kind: 'hidden-symlink-target',
      severity: 'warning',
      path: link.target,
      message: `the mount on ${holder} hides ${link.target}, the target of ${link.path}; anything the app writes through ${link.path} fails unless it creates ${link.target} itself`,
      evidence: [`${link.path} -> ${link.target}`],
    });
  }
  return out;
}
