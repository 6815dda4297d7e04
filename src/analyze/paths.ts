/** Pure path helpers shared by the analysis (POSIX container paths, always absolute). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function isUnder(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Trees the tool refuses to mount over as a whole: a tmpfs there would hide the system
 * itself. A write straight into one of them is a finding, never a mount.
 */
export const SYSTEM_TREES = ['/', '/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/sbin', '/sys', '/usr', '/var'] as const;

export function isSystemTree(path: string): boolean {
  return (SYSTEM_TREES as readonly string[]).includes(path);
}

/**
 * `path` with the image's symlinks resolved, from the links the analysis knows (fs.symlinks,
 * targets absolute): the first component that is a link is replaced by its target, again, at
 * most 40 times (the kernel's limit). Pure: a user's mount target or a VOLUME path named
 * through a link (`/var/run/app`, `/var/run` -> `/run`) is where the writes under it land.
 */
export function resolveLinks(path: string, links: readonly { readonly path: string; readonly target: string }[]): string {
  if (links.length === 0) return path;
  const byPath = new Map(links.map((l) => [l.path, l.target]));
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    const parts = current.split('/').filter(Boolean);
    let replaced = false;
    for (let i = 1; i <= parts.length; i++) {
      const prefix = `/${parts.slice(0, i).join('/')}`;
      const target = byPath.get(prefix);
      if (target !== undefined) {
        const rest = parts.slice(i).join('/');
        current = rest ? `${target === '/' ? '' : target}/${rest}` : target;
        replaced = true;
        break;
      }
    }
    if (!replaced) return current;
  }
  return current;
}
