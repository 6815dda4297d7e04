import { parseMountFlag } from './mount-flag.js';

/** One of the user's own mounts, from -v or --mount, in the terms every format needs. */
export interface UserMount {
  /** volume: a named volume; bind: a host path; anonymous: -v /path alone; tmpfs: --mount type=tmpfs. */
  readonly type: 'volume' | 'bind' | 'anonymous' | 'tmpfs';
  readonly source?: string;
  readonly target: string;
  readonly readOnly: boolean;
  readonly sizeBytes?: number;
  /** The flag as the user gave it, for messages. */
  readonly flag: string;
}

/**
 * Docker's `-v [SRC:]DST[:OPTS]`: a source that starts with `/`, `.` or `~` is a host path (a
 * bind), any other a volume name; no source, an anonymous volume. OPTS `ro` makes it read-only.
 */
export function parseVolumeFlag(v: string): UserMount {
  const parts = v.split(':');
  if (parts.length === 1) return { type: 'anonymous', target: v, readOnly: false, flag: `-v ${v}` };
  const [source, target, opts] = [parts[0]!, parts[1]!, parts.slice(2).join(':')];
  const readOnly = opts.split(',').some((o) => o === 'ro' || o === 'readonly');
  const bind = /^[/.~]/.test(source);
  return { type: bind ? 'bind' : 'volume', source, target, readOnly, flag: `-v ${v}` };
}

/** The run's -v and --mount, in the order given. */
export function userMountsOf(run: { readonly volumes: readonly string[]; readonly mounts: readonly string[] }): UserMount[] {
  const out: UserMount[] = run.volumes.map(parseVolumeFlag);
  for (const m of run.mounts) {
    const s = parseMountFlag(m);
    const type = s.type === 'volume' && s.source === undefined ? 'anonymous' : s.type;
    out.push({ type, ...(s.source !== undefined ? { source: s.source } : {}), target: s.target, readOnly: s.readOnly, ...(s.tmpfsSizeBytes !== undefined ? { sizeBytes: s.tmpfsSizeBytes } : {}), flag: `--mount ${m}` });
  }
  return out;
}
