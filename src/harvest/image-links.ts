import type { ImageTools, Symlink } from '../model/fs-facts.js';
import type { Engine } from '../runtime/engine.js';
import { parentOf } from './changes.js';

/**
 * Compatibility links the FHS allows distributions to make (FHS 3.0: /var/run, /var/lock;
 * usr-merge: /bin, /sbin, /lib*), plus the temp directories some images link elsewhere.
 * A write the app names through one lands in the target; a mount over the target's parent
 * hides it. Each costs one stat of the archive API, never a read of the filesystem.
 */
export const COMPAT_LINKS = ['/var/run', '/var/lock', '/var/tmp', '/tmp', '/run/lock', '/usr/tmp', '/bin', '/sbin', '/lib', '/lib64'] as const;

export async function readCompatLinks(engine: Engine, id: string): Promise<Symlink[]> {
  const out: Symlink[] = [];
  for (const path of COMPAT_LINKS) {
    const st = await engine.statPath(id, path);
    if (st?.type === 'symlink' && st.linkTarget) out.push({ path, target: absoluteTarget(path, st.linkTarget) });
  }
  return out;
}

/**
 * Every symlink met on the way to each of `paths` (a user's mount target, a VOLUME path), as
 * the engine sees the container: a link's target is followed on, so a chain is read whole.
 * One stat per component, never a read of the filesystem.
 */
export async function readLinksAlong(engine: Engine, id: string, paths: readonly string[]): Promise<Symlink[]> {
  const found = new Map<string, string>();
  for (const start of paths) {
    let parts = start.split('/').filter(Boolean);
    let done = '';
    for (let i = 0, hops = 0; i < parts.length && hops < 40; ) {
      const next = `${done}/${parts[i]!}`;
      const st = await engine.statPath(id, next);
      if (st?.type === 'symlink' && st.linkTarget) {
        const target = absoluteTarget(next, st.linkTarget);
        found.set(next, target);
        parts = [...target.split('/').filter(Boolean), ...parts.slice(i + 1)];
        done = '';
        i = 0;
        hops++;
        continue;
      }
      if (!st) break; // Not in the image: the runtime creates the rest as directories.
      done = next;
      i++;
    }
  }
  return [...found].map(([path, target]) => ({ path, target }));
}

/** Whether the image has a shell and cp where an init container's PATH finds them. */
export async function readTools(engine: Engine, id: string): Promise<ImageTools> {
  const exists = async (paths: readonly string[]) => {
    for (const p of paths) if (await engine.statPath(id, p)) return true;
    return false;
  };
  return {
    sh: await exists(['/bin/sh', '/usr/bin/sh']),
    cp: await exists(['/bin/cp', '/usr/bin/cp', '/usr/local/bin/cp']),
  };
}

/** A link target made absolute and normalised (`../run` from /var/run is /run). */
export function absoluteTarget(link: string, target: string): string {
  const parts = (target.startsWith('/') ? target : `${parentOf(link)}/${target}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return `/${out.join('/')}`;
}
