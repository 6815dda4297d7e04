import type { ContainerCreateSpec } from './engine.js';
import type { FsChange } from '../model/write-event.js';

/**
 * Where Podman, reached through its Docker-compatible API, behaves unlike Docker in ways the
 * profile depends on (measured on Podman 4.3 with the compat socket):
 * - Under --read-only it mounts writable tmpfs of its own on /run, /tmp and /var/tmp
 *   (containers.conf `read_only_tmpfs`, on by default); the compat API has no field to turn it off.
 *   A verification that passes there proves nothing about those paths on Docker or Kubernetes.
 * - Its tmpfs take no uid=/gid= options (4.3 refuses them; so does 5.x), but `U` chowns the
 *   tmpfs to the container's user, which is the owner the plan asks for in the common case.
 * - It creates its mount points /etc/hosts, /etc/hostname and /etc/resolv.conf in the container's
 *   layer and leaves them out of the diff, so the diff says "C /etc" with nothing under it.
 */

/** The version's component names: Podman's compat API reports "Podman Engine". */
export function isPodman(components: readonly { readonly Name?: string }[] | undefined): boolean {
  return (components ?? []).some((c) => /podman/i.test(c.Name ?? ''));
}

/** The directories Podman puts its own writable tmpfs on under --read-only. */
export const PODMAN_READ_ONLY_TMPFS = ['/run', '/tmp', '/var/tmp'] as const;

function at(dest: string, dir: string): boolean {
  return dest === dir || dest.startsWith(`${dir}/`);
}

/** Where a spec mounts something: binds (SRC:DEST[:opts]), mounts, and tmpfs. */
function destinations(spec: ContainerCreateSpec): string[] {
  return [...spec.binds.map((b) => b.split(':')[1] ?? ''), ...spec.mounts.map((m) => m.target), ...Object.keys(spec.tmpfs)];
}

/**
 * Read-only tmpfs on those of Podman's three directories that the spec mounts nothing at or
 * under, so that a write there fails as it would on Docker. A directory with a mount beneath
 * it keeps Podman's writable tmpfs: the mount point must be creatable, and an empty read-only
 * tmpfs over it would stop the container before it starts (`maskedByPodman` names those).
 */
export function podmanMasks(spec: ContainerCreateSpec): ContainerCreateSpec['mounts'] {
  if (!spec.readOnlyRoot) return [];
  const dests = destinations(spec);
  return PODMAN_READ_ONLY_TMPFS.filter((dir) => !dests.some((d) => at(d, dir) || at(dir, d))).map((dir) => ({ type: 'tmpfs' as const, target: dir, readOnly: true }));
}

/** The directories where a read-only run on Podman stays writable whatever the config says. */
export function unmaskedByPodman(mounted: readonly string[]): string[] {
  return PODMAN_READ_ONLY_TMPFS.filter((dir) => mounted.some((d) => at(d, dir) && d !== dir));
}

const OWN_MOUNT_POINT_DIRS = new Set(['/etc']);

/** The diff without Podman's own "C /etc" (its mount points, hidden): a bare modified /etc with nothing changed under it. */
export function withoutPodmanMountPoints(changes: readonly FsChange[]): FsChange[] {
  const withChild = new Set<string>();
  for (const c of changes) {
    const slash = c.path.indexOf('/', 1);
    if (slash > 0) withChild.add(c.path.slice(0, slash));
  }
  return changes.filter((c) => !(c.kind === 'modified' && OWN_MOUNT_POINT_DIRS.has(c.path) && !withChild.has(c.path)));
}

/** Tmpfs options as Podman takes them: uid=/gid= become `U` (owned by the container's user). */
export function podmanTmpfs(tmpfs: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, opts] of Object.entries(tmpfs)) {
    const parts = opts.split(',').filter((o) => o !== '');
    const owned = parts.some((o) => /^(uid|gid)=/.test(o));
    const kept = parts.filter((o) => !/^(uid|gid)=/.test(o));
    out[path] = (owned ? [...kept, 'U'] : kept).join(',');
  }
  return out;
}

/** A create spec as Podman must get it for the run to be Docker's: see the notes at the top. */
export function forPodman(spec: ContainerCreateSpec): ContainerCreateSpec {
  return { ...spec, tmpfs: podmanTmpfs(spec.tmpfs), mounts: [...spec.mounts, ...podmanMasks(spec)] };
}
