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
