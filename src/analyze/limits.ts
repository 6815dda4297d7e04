import type { Mount } from '../model/mount-plan.js';
import type { LimitPolicy, Limits, RunUsage } from '../model/usage.js';

const MiB = 1024 * 1024;

/** Per policy: the default headroom, and the floors and steps each figure is rounded to. */
const POLICY = {
  starter: { headroom: 2, memFloor: 64 * MiB, memStep: 16 * MiB, cpuFloor: 0.5, pidsFloor: 64, pidsSpare: 8 },
  strict: { headroom: 1.25, memFloor: 16 * MiB, memStep: 4 * MiB, cpuFloor: 0.25, pidsFloor: 16, pidsSpare: 4 },
} as const;

/** --limits strict: the smallest tmpfs (4 × the bytes written still applies above it). */
export const STRICT_TMPFS_BYTES = 8 * MiB;

export const DEFAULT_HEADROOM: Readonly<Record<Exclude<LimitPolicy, 'off'>, number>> = { starter: POLICY.starter.headroom, strict: POLICY.strict.headroom };

/**
 * Limits from what one run measured, each peak times the headroom and rounded up to a step,
 * never under a floor a starting app needs (a JIT, a worker pool warming up later than the
 * exercise looked). Memory is the working set (what the OOM killer and the kubelet count), with
 * the tmpfs mounts the plan gives added for Docker, where their pages are charged to the same
 * cgroup. CPU limits the peak rate, the request is the average; pids cover the peak with spare
 * tasks for an exec or a restart. Pure.
 */
export function chooseLimits(o: { readonly policy: Exclude<LimitPolicy, 'off'>; readonly headroom?: number; readonly usage: RunUsage; readonly mounts: readonly Mount[]; readonly hostCpus?: number }): Limits {
  const p = POLICY[o.policy];
  const h = o.headroom ?? p.headroom;
  const u = o.usage;
  // The writable run's tmpfs content was on the root filesystem, not in memory: the working set as measured is the app's own.
  const appMemoryBytes = Math.max(p.memFloor, roundUp(u.workingSetPeakBytes * h, p.memStep));
  const rawCpus = Math.max(p.cpuFloor, roundUp(u.cpuPeakCores * h, 0.25));
  const cpus = o.hostCpus !== undefined && o.hostCpus > 0 ? Math.min(rawCpus, Math.max(p.cpuFloor, o.hostCpus)) : rawCpus;
  const average = u.durationMs > 0 ? u.cpuSeconds / (u.durationMs / 1000) : 0;
  const cpuRequest = Math.min(cpus, Math.max(0.01, roundUp(average * h, 0.01)));
  const pids = roundUp(Math.max(p.pidsFloor, Math.ceil(u.pidsPeak * h) + p.pidsSpare), p.pidsSpare);
  const tmpfsBytes = tmpfsBytesOf(o.mounts);
  const x = `×${h}`;
  return {
    policy: o.policy,
    headroom: h,
    appMemoryBytes,
    tmpfsBytes,
    memoryBytes: appMemoryBytes + tmpfsBytes,
    cpus,
    cpuRequest,
    pids,
    basis: {
      memory: `working set peak ${mib(u.workingSetPeakBytes)} ${x}, rounded up to ${mib(p.memStep)} (at least ${mib(p.memFloor)}) = ${mib(appMemoryBytes)}${tmpfsBytes > 0 ? `; Docker adds the tmpfs sizes (${mib(tmpfsBytes)}), charged to the same memory` : ''}`,
      cpus: `peak ${u.cpuPeakCores} cores ${x}, rounded up to 0.25 (at least ${p.cpuFloor}${o.hostCpus !== undefined ? `, at most the host's ${o.hostCpus}` : ''}) = ${cpus}; request: average ${round3(average)} cores ${x} = ${cpuRequest}`,
      pids: `peak ${u.pidsPeak} tasks ${x} + ${p.pidsSpare} spare, rounded up to ${p.pidsSpare} (at least ${p.pidsFloor}) = ${pids}`,
    },
  };
}

/** The limits with the memory Docker needs for these mounts: the app's own plus every tmpfs size. */
export function limitsForMounts(l: Limits, mounts: readonly Mount[]): Limits {
  const tmpfsBytes = tmpfsBytesOf(mounts);
  return { ...l, tmpfsBytes, memoryBytes: l.appMemoryBytes + tmpfsBytes };
}

export function tmpfsBytesOf(mounts: readonly Mount[]): number {
  return mounts.filter((m) => m.kind === 'tmpfs').reduce((n, m) => n + m.sizeBytes, 0);
}

function roundUp(x: number, step: number): number {
  // The epsilon keeps 0.75 / 0.25 from becoming 3.0000000004 steps.
  return Math.round(Math.ceil(x / step - 1e-9) * step * 1e6) / 1e6;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function mib(bytes: number): string {
  const m = bytes / MiB;
  return `${Number.isInteger(m) ? m : m.toFixed(1)} MiB`;
}
