import { posix } from 'node:path';
import { RoProfileError } from '../errors.js';
import type { Mount } from '../model/mount-plan.js';
import type { Result } from '../model/result.js';
import type { RunSpec } from '../model/run-spec.js';
import { parseMountFlag } from '../syntax/mount-flag.js';
import { composeLimits } from './resources.js';
import { tmpfsOptions } from './tmpfs-options.js';
import { toYaml } from './yaml.js';

/** The few compose fields we write, as our own types (the compose specification names them). */
interface LongVolume {
  type: 'tmpfs' | 'volume' | 'bind';
  source?: string;
  target: string;
  read_only?: boolean;
  volume?: { nocopy: boolean };
  tmpfs?: { size: number };
}

interface ComposeService {
  image?: string;
  read_only: true;
  security_opt: string[];
  cap_drop?: string[];
  cap_add?: string[];
  user?: string;
  entrypoint?: string[];
  command?: string[];
  environment?: string[];
  env_file?: string[];
  tmpfs?: string[];
  volumes?: (string | LongVolume)[];
  ports?: string[];
  network_mode?: string;
  mem_limit?: string;
  cpus?: string;
  pids_limit?: number;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, { name: string }>;
}

export interface ComposeOptions {
  /** Only the hardening of the service, to merge with `-f base.yml -f override.yml`. */
  readonly override: boolean;
  /** The service's name; by default the image's repository name. */
  readonly service?: string | undefined;
  /**
   * Where the user ran ro-profile, relative to the directory the file is written to (`..` for
   * `--out deploy`): compose resolves a relative env_file or bind source against the file's own
   * directory, so each is rewritten to name the same file from there. Undefined: as given.
   */
  readonly from?: string | undefined;
}

/**
 * A compose file (or an override fragment) that runs the image read-only with the planned
 * mounts and the user's pass-through. Valid for the compose specification and for Debian's
 * docker-compose 1.29: tmpfs options go in the short syntax, which both pass to the engine;
 * the long syntax (which takes only a size) is used only where a path holds a colon.
 */
export function emitCompose(result: Result, o: ComposeOptions): string {
  const name = o.service ?? serviceName(result.run.image);
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
    throw new RoProfileError('USAGE', `"--service ${name}" is not a valid compose service name`, { hint: 'Use letters, digits, ".", "_" and "-".' });
  }
  const { tmpfs, volumes, named } = hardening(result.plan.mounts);
  const run = o.from ? relocated(result.run, o.from) : result.run;
  const service: ComposeService = {
    ...(o.override ? {} : { image: run.image }),
    read_only: true,
    security_opt: ['no-new-privileges:true'],
    ...(result.hardening && result.hardening.capDrop.length > 0 ? { cap_drop: [...result.hardening.capDrop] } : {}),
    ...(result.hardening && result.hardening.capAdd.length > 0 ? { cap_add: result.hardening.capAdd.map((c) => c.name) } : {}),
    ...(o.override ? {} : passThrough(run)),
    // The level's numeric user, in an override too: it is part of the hardening.
    ...(result.hardening?.user ? { user: `${result.hardening.user.uid}:${result.hardening.user.gid}` } : {}),
    ...(tmpfs.length > 0 ? { tmpfs } : {}),
    ...composeLimits(result.limits, result.plan.mounts),
  };
  const userVolumes = o.override ? [] : userMounts(run);
  const allVolumes = [...volumes, ...userVolumes];
  if (allVolumes.length > 0) service.volumes = allVolumes;
  if (!o.override) {
    if (run.publish.length > 0) service.ports = [...run.publish];
    if (run.network !== undefined) service.network_mode = run.network;
  }
  const file: ComposeFile = { services: { [name]: service } };
  const topVolumes = { ...named, ...(o.override ? {} : userNamedVolumes(run)) };
  if (Object.keys(topVolumes).length > 0) file.volumes = topVolumes;
  return toYaml(escapeInterpolation(file));
}

/** The run's relative env files and bind sources, named from `from` (a relative directory). */
export function relocated(run: RunSpec, from: string): RunSpec {
  const move = (p: string) => (p.startsWith('/') || p.startsWith('~') ? p : ((j) => (j.startsWith('.') ? j : `./${j}`))(posix.join(from, p)));
  const isRelativeBind = (src: string) => src.startsWith('.');
  return {
    ...run,
    envFiles: run.envFiles.map(move),
    volumes: run.volumes.map((v) => {
      const i = v.indexOf(':');
      return i > 0 && isRelativeBind(v.slice(0, i)) ? `${move(v.slice(0, i))}${v.slice(i)}` : v;
    }),
    mounts: run.mounts.map((m) => (/(^|,)type=bind(,|$)/.test(m) ? m.replace(/(^|,)(source|src)=(\.[^,]*)/, (_all, lead: string, key: string, src: string) => `${lead}${key}=${move(src)}`) : m)),
  };
}

/** The service name for an image: its repository's last path part, made valid. */
export function serviceName(image: string): string {
  const repo = image.replace(/@.*$/, '').replace(/:[^/:]*$/, '').split('/').pop() ?? '';
  return repo.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'app';
}

function hardening(mounts: readonly Mount[]): { tmpfs: string[]; volumes: (string | LongVolume)[]; named: Record<string, { name: string }> } {
  const tmpfs: string[] = [];
  const volumes: (string | LongVolume)[] = [];
  const named: Record<string, { name: string }> = {};
  for (const m of mounts) {
    if (m.kind === 'tmpfs') {
      // The short syntax splits PATH from OPTIONS at the first colon.
      if (!m.path.includes(':')) tmpfs.push(`${m.path}:${tmpfsOptions(m)}`);
      else if (m.uid !== 0 || m.gid !== 0 || m.exec) {
        throw new RoProfileError('EMIT_FAILED', `the tmpfs on "${m.path}" needs uid/gid/exec options, which compose cannot express for a path containing ":"`, {
          hint: 'Rename the directory in the image, or mount a volume there by hand.',
        });
      } else volumes.push({ type: 'tmpfs', target: m.path, tmpfs: { size: m.sizeBytes } });
      continue;
    }
    const name = m.volumeName;
    if (!name) throw new RoProfileError('EMIT_FAILED', `the ${m.kind} mount on ${m.path} has no volume name`);
    // `name:` keeps the volume's name as docker run has it, instead of a project-prefixed one.
    named[name] = { name };
    volumes.push(m.path.includes(':') ? { type: 'volume', source: name, target: m.path } : `${name}:${m.path}`);
  }
  return { tmpfs, volumes, named };
}

function passThrough(run: RunSpec): Partial<ComposeService> {
  const s: Partial<ComposeService> = {};
  if (run.user !== undefined) s.user = run.user;
  if (run.entrypoint !== undefined) s.entrypoint = run.entrypoint === '' ? [] : [run.entrypoint];
  if (run.command.length > 0) s.command = [...run.command];
  // Names only: compose takes each value from the environment it runs in, never from the file.
  // Once each: the specification (and compose 1.29) refuse a list with repeated items.
  if (run.env.length > 0) s.environment = [...new Set(run.env.map((e) => e.name))];
  if (run.envFiles.length > 0) s.env_file = [...run.envFiles];
  return s;
}

/** The user's -v values as given, and their --mount values in the long syntax. */
function userMounts(run: RunSpec): (string | LongVolume)[] {
  const out: (string | LongVolume)[] = [...run.volumes];
  for (const flag of run.mounts) {
    const m = parseMountFlag(flag);
    out.push({
      type: m.type,
      ...(m.source !== undefined ? { source: m.source } : {}),
      target: m.target,
      ...(m.readOnly ? { read_only: true } : {}),
      ...(m.noCopy ? { volume: { nocopy: true } } : {}),
      ...(m.tmpfsSizeBytes !== undefined ? { tmpfs: { size: m.tmpfsSizeBytes } } : {}),
    });
  }
  return out;
}

/** Named volumes in the user's -v/--mount must be declared at the top level; their names are kept. */
function userNamedVolumes(run: RunSpec): Record<string, { name: string }> {
  const out: Record<string, { name: string }> = {};
  for (const v of run.volumes) {
    const [src, target] = v.split(':');
    if (target !== undefined && src && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(src)) out[src] = { name: src };
  }
  for (const flag of run.mounts) {
    const m = parseMountFlag(flag);
    if (m.type === 'volume' && m.source) out[m.source] = { name: m.source };
  }
  return out;
}

/** Compose interpolates `$VAR` in every string; a literal `$` is written `$$`. */
export function escapeInterpolation<T>(v: T): T {
  if (typeof v === 'string') return v.replace(/\$/g, '$$$$') as T;
  if (Array.isArray(v)) return v.map(escapeInterpolation) as T;
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [escapeInterpolation(k), escapeInterpolation(x)])) as T;
  }
  return v;
}
