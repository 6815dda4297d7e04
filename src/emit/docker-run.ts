import { RoProfileError } from '../errors.js';
import type { Hardening } from '../model/hardening.js';
import type { Mount } from '../model/mount-plan.js';
import { capabilityArgs, configUser } from './process-settings.js';
import type { RunSpec } from '../model/run-spec.js';
import type { Limits } from '../model/usage.js';
import { runLimitArgs } from './resources.js';
import { shellJoin } from './shell-quote.js';
import { formatMode, tmpfsOptions } from './tmpfs-options.js';

/** The flags that harden a run, as argv words (no quoting yet). */
export function hardeningArgs(mounts: readonly Mount[]): string[] {
  const args = ['--read-only', '--security-opt', 'no-new-privileges'];
  for (const m of mounts) args.push(...mountArgs(m));
  return args;
}

function mountArgs(m: Mount): string[] {
  if (m.kind === 'volume' || m.kind === 'seeded') {
    // A named volume: Docker copies the image's content (and the directory's owner) into it on first use.
    const name = m.volumeName;
    if (!name) throw new RoProfileError('EMIT_FAILED', `the ${m.kind} mount on ${m.path} has no volume name`);
    if (!m.path.includes(':')) return ['-v', `${name}:${m.path}`];
    return ['--mount', `type=volume,source=${name},${csvField(`target=${m.path}`, m)}`];
  }
  // `--tmpfs` splits PATH from OPTIONS at the first colon; a path with one needs --mount.
  if (!m.path.includes(':')) return ['--tmpfs', `${m.path}:${tmpfsOptions(m)}`];
  if (m.uid !== 0 || m.gid !== 0 || m.exec) {
    throw new RoProfileError('EMIT_FAILED', `the tmpfs on "${m.path}" needs uid/gid/exec options, which docker run cannot express for a path containing ":"`, {
      hint: 'Rename the directory in the image, or mount a volume there by hand.',
    });
  }
  return ['--mount', `type=tmpfs,${csvField(`destination=${m.path}`, m)},tmpfs-size=${m.sizeBytes},tmpfs-mode=${formatMode(m.mode)}`];
}

/**
 * A field of Docker's --mount CSV (Go's encoding/csv): quoted when it holds a comma, a quote, LF
 * or CR (Go drops a CR that ends an unquoted value). Go reads CRLF as LF even inside quotes, so a
 * path holding one cannot be written at all.
 */
function csvField(f: string, m: Mount): string {
  if (f.includes('\r\n')) {
    throw new RoProfileError('EMIT_FAILED', `the ${m.kind} mount on "${m.path}" cannot be written for docker run: a path containing ":" needs --mount, whose CSV syntax reads "\\r\\n" as "\\n"`, {
      hint: 'Rename the directory in the image, or mount a volume there by hand.',
    });
  }
  return /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f;
}

/** The user's own options, carried over; environment by name only, never a value. */
export function passThroughArgs(run: RunSpec): string[] {
  const args: string[] = [];
  for (const e of run.env) args.push('-e', e.name);
  for (const f of run.envFiles) args.push('--env-file', f);
  if (run.user !== undefined) args.push('--user', run.user);
  if (run.entrypoint !== undefined) args.push('--entrypoint', run.entrypoint);
  for (const v of run.volumes) args.push('-v', v);
  for (const m of run.mounts) args.push('--mount', m);
  for (const p of run.publish) args.push('-p', p);
  if (run.network !== undefined) args.push('--network', run.network);
  return args;
}

/** One `docker run` line for a POSIX shell; a command comes after the image, as docker wants it. */
export function emitDockerRun(run: RunSpec, mounts: readonly Mount[], limits?: Limits, hardening?: Hardening): string {
  // The level's numeric user takes --user's place (it is the same user, or the one verified).
  const user = configUser({ run, ...(hardening ? { hardening } : {}) });
  const words = ['docker', 'run', ...hardeningArgs(mounts), ...capabilityArgs(hardening), ...runLimitArgs(limits, mounts), ...passThroughArgs({ ...run, ...(user !== undefined ? { user } : {}) }), run.image, ...run.command];
  return `${shellJoin(words)}\n`;
}
