import type { Mount } from '../model/mount-plan.js';

const MiB = 1024 * 1024;

export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

export function formatSize(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB}m` : `${Math.ceil(bytes / 1024)}k`;
}

/**
 * The option string of `--tmpfs PATH:OPTS` (and compose's short tmpfs syntax). Every default is
 * written out, so the config says exactly what it allows: noexec unless a written file had to run.
 */
export function tmpfsOptions(m: Mount): string {
  const opts = ['rw', m.exec ? 'exec' : 'noexec', 'nosuid', 'nodev', `size=${formatSize(m.sizeBytes)}`, `mode=${formatMode(m.mode)}`];
  if (m.uid !== 0) opts.push(`uid=${m.uid}`);
  if (m.gid !== 0) opts.push(`gid=${m.gid}`);
  return opts.join(',');
}
