import { isAbsolute, resolve as resolvePath } from 'node:path';
import { RoProfileError } from '../errors.js';
import type { ImageFacts } from '../model/image-facts.js';
import type { LaunchSecrets, RunSpec } from '../model/run-spec.js';
import type { ContainerCreateSpec, MountSpec } from '../runtime/engine.js';

export interface LaunchLimits {
  readonly memoryBytes: number;
  readonly pidsLimit: number;
}

export interface HardeningSpec {
  readonly readOnlyRoot: boolean;
  readonly tmpfs: Readonly<Record<string, string>>;
  readonly mounts: readonly MountSpec[];
}

export const WRITABLE: HardeningSpec = { readOnlyRoot: false, tmpfs: {}, mounts: [] };

/**
 * The container as the user will run it (their pass-through options), plus the limits a
 * profiling run of untrusted code gets: memory and pids caps, no-new-privileges, never
 * privileged, ports on 127.0.0.1 only.
 */
export function buildCreateSpec(options: {
  readonly image: ImageFacts;
  readonly run: RunSpec;
  readonly secrets: LaunchSecrets;
  readonly labels: Readonly<Record<string, string>>;
  readonly limits: LaunchLimits;
  readonly hardening: HardeningSpec;
  readonly cwd: string;
}): ContainerCreateSpec {
  const { run, secrets } = options;
  // Values from --env-file and -e, in the order docker applies them (later wins).
  const env = [...secrets].map(([name, value]) => `${name}=${value}`);
  const binds = run.volumes.map((v) => absolutizeBind(v, options.cwd));
  const userMounts = run.mounts.map(parseMountFlag);
  const publishLoopback = run.network === 'host' || run.network === 'none' ? [] : run.exercise.probePorts;
  return {
    image: options.image.id,
    labels: options.labels,
    env,
    ...(run.user !== undefined ? { user: run.user } : {}),
    // Docker's --entrypoint also drops the image's CMD; an empty Cmd does the same through the API.
    ...(run.entrypoint !== undefined ? { entrypoint: run.entrypoint === '' ? [] : [run.entrypoint] } : {}),
    ...(run.command.length > 0 ? { cmd: run.command } : run.entrypoint !== undefined ? { cmd: [] } : {}),
    binds,
    mounts: [...userMounts, ...options.hardening.mounts],
    tmpfs: options.hardening.tmpfs,
    readOnlyRoot: options.hardening.readOnlyRoot,
    publishLoopback,
    ...(run.network !== undefined ? { network: run.network } : {}),
    memoryBytes: options.limits.memoryBytes,
    pidsLimit: options.limits.pidsLimit,
  };
}

/** The engine wants absolute host paths; `-v ./data:/data` is relative to where the user runs us. */
function absolutizeBind(v: string, cwd: string): string {
  const first = v.indexOf(':');
  if (first <= 0) return v;
  const src = v.slice(0, first);
  if (src.startsWith('.') || (src.includes('/') && !isAbsolute(src))) {
    return `${resolvePath(cwd, src)}${v.slice(first)}`;
  }
  return v;
}

/** Targets of -v and --mount: writes under them are the user's own and count as covered. */
export function userMountTargets(run: RunSpec): string[] {
  const out: string[] = [];
  for (const v of run.volumes) {
    const parts = v.split(':');
    const target = parts.length >= 2 ? parts[1] : parts[0];
    if (target) out.push(target);
  }
  for (const m of run.mounts) out.push(parseMountFlag(m).target);
  return out.sort();
}

/** Parses Docker's `--mount` CSV (type=bind,source=...,target=...,readonly,...) into our shape. */
export function parseMountFlag(flag: string): MountSpec {
  const fields = splitCsv(flag);
  let type: MountSpec['type'] = 'volume';
  let source: string | undefined;
  let target: string | undefined;
  let readOnly = false;
  let noCopy = false;
  let tmpfsSizeBytes: number | undefined;
  let tmpfsMode: number | undefined;
  for (const f of fields) {
    const eq = f.indexOf('=');
    const key = (eq < 0 ? f : f.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? undefined : f.slice(eq + 1);
    switch (key) {
      case 'type':
        if (value !== 'bind' && value !== 'volume' && value !== 'tmpfs') throw badMount(flag, `unsupported type "${value}"`);
        type = value;
        break;
      case 'source':
      case 'src':
        source = value;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        target = value;
        break;
      case 'readonly':
      case 'ro':
        readOnly = value === undefined || value === 'true' || value === '1';
        break;
      case 'volume-nocopy':
        noCopy = value === undefined || value === 'true' || value === '1';
        break;
      case 'tmpfs-size':
        tmpfsSizeBytes = parseSizeOption(flag, value ?? '');
        break;
      case 'tmpfs-mode':
        tmpfsMode = parseInt(value ?? '', 8);
        break;
      default:
        // Options we do not interpret (consistency, bind-propagation, ...) still reach the user's own run.
        break;
    }
  }
  if (!target) throw badMount(flag, 'it has no target');
  return {
    type,
    ...(source !== undefined ? { source } : {}),
    target,
    readOnly,
    ...(noCopy ? { noCopy } : {}),
    ...(tmpfsSizeBytes !== undefined && Number.isFinite(tmpfsSizeBytes) ? { tmpfsSizeBytes } : {}),
    ...(tmpfsMode !== undefined && Number.isFinite(tmpfsMode) ? { tmpfsMode } : {}),
  };
}

/** Docker's tmpfs-size: bytes, or a number with a k/m/g suffix (binary units). */
function parseSizeOption(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmgt]?)b?$/i.exec(value.trim());
  if (!m) throw badMount(flag, `tmpfs-size "${value}" is not a size`);
  return Math.round(Number(m[1]) * 1024 ** ['', 'k', 'm', 'g', 't'].indexOf((m[2] ?? '').toLowerCase()));
}

function badMount(flag: string, why: string): RoProfileError {
  return new RoProfileError('USAGE', `"--mount ${flag}" cannot be used: ${why}`, {
    hint: 'Write it as docker does, e.g. --mount type=volume,source=data,target=/data',
  });
}

/** Splits a CSV field list the way Docker's --mount does (double quotes group a field). */
export function splitCsv(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '"') {
      if (quoted && s[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.filter((f) => f.length > 0);
}
