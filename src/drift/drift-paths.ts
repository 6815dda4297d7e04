/**
 * POSIX path facts the drift rules ask of a container path (absolute, as `docker diff` names
 * it). Split on "/" only: a space, a tab or any Unicode in a name is part of that name.
 */
import { isUnder } from '../analyze/paths.js';

/** Trees whose content ships with the system: a change there is drift even with no result to compare with. */
export const SYSTEM_TREES = ['/bin', '/boot', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/sbin', '/usr', '/var/lib/apt', '/var/lib/dpkg', '/var/lib/rpm'] as const;

/** Directory names that hold programs wherever they are (`/usr/local/bin`, `/opt/app/bin`, `~/.local/bin`). */
const PROGRAM_DIRS = new Set(['bin', 'sbin', 'libexec']);

/** Directory names that hold libraries: only where the loader looks (`/lib`, `/usr/lib`, `/usr/local/lib`, `/opt/X/lib`), not an app's `lib` of data. */
const LIBRARY_DIR = /^lib(32|64|x32)?$/;

/** A shared object by its name (`libc.so.6`, `mod_foo.so`). */
const SHARED_OBJECT = /\.so(\.\d+)*$/;

export function componentsOf(path: string): string[] {
  return path.split('/').filter((p) => p !== '');
}

/** The proper ancestors of a path, nearest last, "/" excluded: `/a/b c/d` gives `/a`, `/a/b c`. */
export function ancestorsOf(path: string): string[] {
  const parts = componentsOf(path);
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(`/${parts.slice(0, i).join('/')}`);
  return out;
}

export function isSystemPath(path: string): boolean {
  return SYSTEM_TREES.some((t) => isUnder(path, t));
}

function isLoaderPrefix(prefix: readonly string[]): boolean {
  if (prefix.length === 0) return true;
  if (prefix[0] === 'usr') return prefix.length === 1 || (prefix.length === 2 && prefix[1] === 'local');
  return prefix[0] === 'opt' && prefix.length === 2;
}

/** True for an entry inside a program or library directory, or a shared object anywhere: code the container runs. */
export function isProgramPath(path: string): boolean {
  const parts = componentsOf(path);
  // The directories above the entry, not the entry itself: `/usr/bin` is a system directory, `/usr/bin/x` a program.
  for (let i = 0; i < parts.length - 1; i++) {
    const name = parts[i]!;
    if (PROGRAM_DIRS.has(name)) return true;
    if (LIBRARY_DIR.test(name) && isLoaderPrefix(parts.slice(0, i))) return true;
  }
  return SHARED_OBJECT.test(parts.at(-1) ?? '');
}

/** The directory a change is grouped under with no result: its parent, cut to the first two components (`/usr/lib/x/y` → `/usr/lib`). */
export function groupDirOf(path: string): string {
  const parent = componentsOf(path).slice(0, -1);
  return parent.length === 0 ? '/' : `/${parent.slice(0, 2).join('/')}`;
}
