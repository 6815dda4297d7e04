/**
 * What the emitters must produce, written for the tests from Docker's and compose's documented
 * syntax and from the model's fields alone: nothing here calls src/emit or src/syntax, so a
 * property test comparing the two checks the implementation against a second opinion.
 */
import type { Mount } from '../../src/model/mount-plan.js';
import type { Result } from '../../src/model/result.js';
import { readGoCsvRecord } from './go-csv.js';

const MiB = 1024 * 1024;

/** A --mount value, compared by the fields Docker's CLI reads from it (Go's encoding/csv). */
export interface CsvFields {
  readonly csv: readonly string[];
}
export type ExpectedWord = string | CsvFields;

/** Why a mount cannot be written in a format, or undefined when it can. */
export type Inexpressible = { readonly path: string; readonly why: 'uid/gid/exec' | 'CRLF' } | undefined;

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/** --tmpfs / compose short-syntax options: every default spelled out, size in m when whole MiB, else k rounded up. */
export function refTmpfsOptions(m: Mount): string {
  const size = m.sizeBytes % MiB === 0 ? `${m.sizeBytes / MiB}m` : `${Math.ceil(m.sizeBytes / 1024)}k`;
  return [
    'rw',
    m.exec ? 'exec' : 'noexec',
    'nosuid',
    'nodev',
    `size=${size}`,
    `mode=${octal(m.mode)}`,
    ...(m.uid !== 0 ? [`uid=${m.uid}`] : []),
    ...(m.gid !== 0 ? [`gid=${m.gid}`] : []),
  ].join(',');
}

/**
 * `--tmpfs PATH:OPTS` and compose's short syntax split at the first ":", so a path holding one
 * needs --mount type=tmpfs (or compose's long syntax), which takes only a size and a mode: such a
 * path cannot also have an owner or exec.
 */
function tmpfsNeedsOptionsOnColonPath(m: Mount): boolean {
  return m.kind === 'tmpfs' && m.path.includes(':') && (m.uid !== 0 || m.gid !== 0 || m.exec);
}

export function runInexpressible(mounts: readonly Mount[]): Inexpressible {
  for (const m of mounts) {
    if (tmpfsNeedsOptionsOnColonPath(m)) return { path: m.path, why: 'uid/gid/exec' };
    // A colon path goes through --mount, whose CSV reader turns CRLF into LF even inside quotes.
    if (m.path.includes(':') && m.path.includes('\r\n')) return { path: m.path, why: 'CRLF' };
  }
  return undefined;
}

export function composeInexpressible(mounts: readonly Mount[]): Inexpressible {
  const m = mounts.find(tmpfsNeedsOptionsOnColonPath);
  return m ? { path: m.path, why: 'uid/gid/exec' } : undefined;
}

function refMountArgs(m: Mount): ExpectedWord[] {
  if (m.kind === 'tmpfs') {
    if (!m.path.includes(':')) return ['--tmpfs', `${m.path}:${refTmpfsOptions(m)}`];
    return ['--mount', { csv: ['type=tmpfs', `destination=${m.path}`, `tmpfs-size=${m.sizeBytes}`, `tmpfs-mode=${octal(m.mode)}`] }];
  }
  const name = m.volumeName ?? '';
  if (!m.path.includes(':')) return ['-v', `${name}:${m.path}`];
  return ['--mount', { csv: ['type=volume', `source=${name}`, `target=${m.path}`] }];
}

/** The argv `docker` must receive (without "docker" itself), for a result whose mounts are all expressible. */
export function refRunArgv(result: Result): ExpectedWord[] {
  const r = result.run;
  return [
    'run',
    '--read-only',
    '--security-opt',
    'no-new-privileges',
    ...result.plan.mounts.flatMap(refMountArgs),
    ...r.env.flatMap((e) => ['-e', e.name]),
    ...r.envFiles.flatMap((f) => ['--env-file', f]),
    ...(r.user !== undefined ? ['--user', r.user] : []),
    ...(r.entrypoint !== undefined ? ['--entrypoint', r.entrypoint] : []),
    ...r.volumes.flatMap((v) => ['-v', v]),
    ...r.mounts.flatMap((m) => ['--mount', m]),
    ...r.publish.flatMap((p) => ['-p', p]),
    ...(r.network !== undefined ? ['--network', r.network] : []),
    r.image,
    ...r.command,
  ];
}

/** The actual argv with each word the expectation reads as CSV replaced by its fields, for one toEqual. */
export function alignCsvWords(actual: readonly string[], expected: readonly ExpectedWord[]): ExpectedWord[] {
  return actual.map((word, i) => {
    const e = expected[i];
    if (e === undefined || typeof e === 'string') return word;
    try {
      return { csv: readGoCsvRecord(word) };
    } catch (err) {
      return `${word} (Docker's CSV reader fails: ${(err as Error).message})`;
    }
  });
}

/** Go's strconv.ParseBool, which Docker uses for readonly= and volume-nocopy=. */
export function goParseBool(v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new Error(`invalid boolean ${JSON.stringify(v)}`);
}

/** go-units RAMInBytes for the plain forms the tests generate: digits with an optional k/m/g (binary). */
function ramInBytes(v: string): number {
  const m = /^(\d+)([kmg]?)$/i.exec(v);
  if (!m) throw new Error(`unsupported size ${JSON.stringify(v)}`);
  return Number(m[1]) * 1024 ** ['', 'k', 'm', 'g'].indexOf((m[2] ?? '').toLowerCase());
}

interface RefLong {
  type: string;
  source?: string;
  target: string;
  read_only?: true;
  volume?: { nocopy: true };
  tmpfs?: { size: number };
}

/** A user's --mount as Docker reads it, in compose's long syntax (which has no place for tmpfs-mode). */
export function refLongSyntax(flag: string): RefLong {
  let type = 'volume';
  let source: string | undefined;
  let target = '';
  let readOnly = false;
  let noCopy = false;
  let size: number | undefined;
  for (const field of readGoCsvRecord(flag)) {
    const eq = field.indexOf('=');
    const key = eq < 0 ? field : field.slice(0, eq);
    const val = eq < 0 ? undefined : field.slice(eq + 1);
    if (key === 'type') type = (val ?? '').toLowerCase();
    else if (key === 'source' || key === 'src') source = val;
    else if (key === 'target' || key === 'dst' || key === 'destination') target = val ?? '';
    else if (key === 'readonly' || key === 'ro') readOnly = val === undefined ? true : goParseBool(val);
    else if (key === 'volume-nocopy') noCopy = val === undefined ? true : goParseBool(val);
    else if (key === 'tmpfs-size') size = ramInBytes(val ?? '');
  }
  return {
    type,
    ...(source !== undefined ? { source } : {}),
    target,
    ...(readOnly ? { read_only: true as const } : {}),
    ...(noCopy ? { volume: { nocopy: true as const } } : {}),
    ...(size !== undefined ? { tmpfs: { size } } : {}),
  };
}

/** Compose interpolates `$` in every value; a literal one is written `$$`. */
export function dollars<T>(v: T): T {
  if (typeof v === 'string') return v.split('$').join('$$') as T;
  if (Array.isArray(v)) return v.map(dollars) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dollars(x)])) as T;
  return v;
}

/** The compose file (as data, before compose's interpolation) for a result whose mounts are all expressible. */
export function refCompose(result: Result, o: { readonly override: boolean; readonly service: string }): unknown {
  const r = result.run;
  const tmpfs: string[] = [];
  const volumes: unknown[] = [];
  const declared: Record<string, { name: string }> = {};
  for (const m of result.plan.mounts) {
    if (m.kind === 'tmpfs') {
      if (!m.path.includes(':')) tmpfs.push(`${m.path}:${refTmpfsOptions(m)}`);
      else volumes.push({ type: 'tmpfs', target: m.path, tmpfs: { size: m.sizeBytes } });
      continue;
    }
    const name = m.volumeName ?? '';
    declared[name] = { name };
    volumes.push(m.path.includes(':') ? { type: 'volume', source: name, target: m.path } : `${name}:${m.path}`);
  }
  if (!o.override) {
    for (const v of r.volumes) {
      volumes.push(v);
      const source = v.slice(0, v.indexOf(':'));
      if (!source.startsWith('/')) declared[source] = { name: source };
    }
    for (const flag of r.mounts) {
      const long = refLongSyntax(flag);
      volumes.push(long);
      if (long.type === 'volume' && long.source !== undefined) declared[long.source] = { name: long.source };
    }
  }
  const names = [...new Set(r.env.map((e) => e.name))];
  const service = {
    ...(o.override ? {} : { image: r.image }),
    read_only: true,
    security_opt: ['no-new-privileges:true'],
    ...(!o.override && r.user !== undefined ? { user: r.user } : {}),
    ...(!o.override && r.entrypoint !== undefined ? { entrypoint: r.entrypoint === '' ? [] : [r.entrypoint] } : {}),
    ...(!o.override && r.command.length > 0 ? { command: r.command } : {}),
    ...(!o.override && names.length > 0 ? { environment: names } : {}),
    ...(!o.override && r.envFiles.length > 0 ? { env_file: r.envFiles } : {}),
    ...(tmpfs.length > 0 ? { tmpfs } : {}),
    ...(volumes.length > 0 ? { volumes } : {}),
    ...(!o.override && r.publish.length > 0 ? { ports: r.publish } : {}),
    ...(!o.override && r.network !== undefined ? { network_mode: r.network } : {}),
  };
  return dollars({ services: { [o.service]: service }, ...(Object.keys(declared).length > 0 ? { volumes: declared } : {}) });
}
