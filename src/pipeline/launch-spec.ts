import { createHash } from 'node:crypto';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { limitsForMounts } from '../analyze/limits.js';
import type { Hardening } from '../model/hardening.js';
import type { ImageFacts } from '../model/image-facts.js';
import type { Mount } from '../model/mount-plan.js';
import type { Limits } from '../model/usage.js';
import type { LaunchSecrets, RunSpec } from '../model/run-spec.js';
import type { ContainerCreateSpec, MountSpec } from '../runtime/engine.js';
import { LABEL_SESSION } from '../runtime/labels.js';
import { parseMountFlag } from '../syntax/mount-flag.js';

export interface LaunchLimits {
  readonly memoryBytes: number;
  readonly pidsLimit: number;
  /** CPUs × 1e9 (absent: no CPU limit). */
  readonly nanoCpus?: number;
}

/**
 * What a hardened run of the config gets: the limits the config carries (the app's memory plus
 * the tmpfs sizes of these mounts, its CPUs and pids), or without them the caps every run of
 * untrusted code gets.
 */
export function launchLimitsFor(caps: LaunchLimits, chosen: Limits | undefined, mounts: readonly Mount[]): LaunchLimits {
  if (!chosen) return caps;
  const l = limitsForMounts(chosen, mounts);
  return { memoryBytes: l.memoryBytes, pidsLimit: l.pids, nanoCpus: Math.round(l.cpus * 1e9) };
}

export interface HardeningSpec {
  readonly readOnlyRoot: boolean;
  readonly tmpfs: Readonly<Record<string, string>>;
  readonly mounts: readonly MountSpec[];
  /** The level's process settings: capabilities dropped and added back, the numeric user (over --user). */
  readonly process?: ProcessSettings;
}

export interface ProcessSettings {
  readonly capDrop: readonly string[];
  readonly capAdd: readonly string[];
  readonly user?: string;
}

/** A result's hardening as the engine takes it; undefined for a result made before levels (the engine's defaults). */
export function processSettingsOf(h: Hardening | undefined): ProcessSettings | undefined {
  if (!h) return undefined;
  return { capDrop: [...h.capDrop], capAdd: h.capAdd.map((c) => c.name), ...(h.user ? { user: `${h.user.uid}:${h.user.gid}` } : {}) };
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
  // Joined namespaces bring their own hostname (the engine refuses one with container:...).
  const ownUts = run.network === undefined || !(run.network === 'host' || run.network.startsWith('container:'));
  return {
    image: options.image.id,
    labels: options.labels,
    ...(ownUts ? { hostname: sessionHostname(options.labels) } : {}),
    env,
    ...(options.hardening.process?.user !== undefined ? { user: options.hardening.process.user } : run.user !== undefined ? { user: run.user } : {}),
    ...(options.hardening.process && options.hardening.process.capDrop.length > 0 ? { capDrop: options.hardening.process.capDrop } : {}),
    ...(options.hardening.process && options.hardening.process.capAdd.length > 0 ? { capAdd: options.hardening.process.capAdd } : {}),
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
    ...(options.limits.nanoCpus !== undefined ? { nanoCpus: options.limits.nanoCpus } : {}),
  };
}

/**
 * One hostname for every run of a session: by default each container is named after its own
 * id, and a page or log line that prints it would differ between the writable and the hardened
 * run for no reason of the config's.
 */
export function sessionHostname(labels: Readonly<Record<string, string>>): string {
  return `ro-profile-${createHash('sha256').update(labels[LABEL_SESSION] ?? '').digest('hex').slice(0, 12)}`;
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

