import { describe, expect, it } from 'vitest';
import { chooseLimits, limitsForMounts } from '../../../src/analyze/limits.js';
import type { Mount } from '../../../src/model/mount-plan.js';
import type { RunUsage } from '../../../src/model/usage.js';

const MiB = 1024 * 1024;

function usage(o: Partial<RunUsage> = {}): RunUsage {
  return { source: 'cgroup-v2', durationMs: 10_000, samples: 40, memoryPeakBytes: 80 * MiB, workingSetPeakBytes: 50 * MiB, cpuSeconds: 2, cpuPeakCores: 0.9, pidsPeak: 30, mounts: [], ...o };
}

function mount(path: string, kind: Mount['kind'], sizeBytes: number): Mount {
  return { path, kind, uid: 0, gid: 0, mode: 0o755, exec: false, sizeBytes, covers: [], coversCount: 0, observedBytes: 0, reasons: [], hides: [], ...(kind !== 'tmpfs' ? { volumeName: 'v' } : {}) };
}

describe('chooseLimits', () => {
  it('starter: each peak ×2, rounded up to its step; Docker\'s memory adds the tmpfs sizes, not the volumes', () => {
    const l = chooseLimits({ policy: 'starter', usage: usage(), mounts: [mount('/tmp', 'tmpfs', 64 * MiB), mount('/run', 'tmpfs', 64 * MiB), mount('/data', 'volume', 0)] });
    expect(l).toMatchObject({ policy: 'starter', headroom: 2, appMemoryBytes: 112 * MiB, tmpfsBytes: 128 * MiB, memoryBytes: 240 * MiB, cpus: 2, cpuRequest: 0.4, pids: 72 });
    expect(l.basis.memory).toContain('working set peak 50 MiB ×2');
    expect(l.basis.memory).toContain('tmpfs sizes (128 MiB)');
  });

  it('strict: ×1.25 with small floors and steps', () => {
    const l = chooseLimits({ policy: 'strict', usage: usage({ workingSetPeakBytes: 10 * MiB, cpuPeakCores: 0.1, pidsPeak: 3, cpuSeconds: 0.1 }), mounts: [] });
    expect(l).toMatchObject({ headroom: 1.25, appMemoryBytes: 16 * MiB, memoryBytes: 16 * MiB, cpus: 0.25, cpuRequest: 0.02, pids: 16 });
  });

  it('an idle app still gets the floors a starting app needs', () => {
    const l = chooseLimits({ policy: 'starter', usage: usage({ workingSetPeakBytes: 1, cpuPeakCores: 0, cpuSeconds: 0, pidsPeak: 1 }), mounts: [] });
    expect(l).toMatchObject({ appMemoryBytes: 64 * MiB, cpus: 0.5, cpuRequest: 0.01, pids: 64 });
  });

  it('--headroom replaces the policy\'s factor', () => {
    const l = chooseLimits({ policy: 'starter', headroom: 3, usage: usage(), mounts: [] });
    expect(l).toMatchObject({ headroom: 3, appMemoryBytes: 160 * MiB, cpus: 2.75, pids: 104 });
  });

  it('never more CPUs than the host has, and a request never above the limit', () => {
    const l = chooseLimits({ policy: 'starter', usage: usage({ cpuPeakCores: 7.5, cpuSeconds: 70 }), mounts: [], hostCpus: 4 });
    expect(l.cpus).toBe(4);
    expect(l.cpuRequest).toBe(4);
    expect(l.basis.cpus).toContain("at most the host's 4");
  });

  it('steps are exact: 0.375 cores ×2 is 0.75, not 1', () => {
    expect(chooseLimits({ policy: 'starter', usage: usage({ cpuPeakCores: 0.375 }), mounts: [] }).cpus).toBe(0.75);
  });

  it('is never looser than measured: every limit covers its peak times the headroom', () => {
    for (const ws of [0, 1, 17 * MiB, 333 * MiB + 7, 2048 * MiB]) {
      for (const cores of [0, 0.01, 0.5, 1.3, 3]) {
        for (const pids of [1, 7, 64, 500]) {
          for (const policy of ['starter', 'strict'] as const) {
            const l = chooseLimits({ policy, usage: usage({ workingSetPeakBytes: ws, cpuPeakCores: cores, pidsPeak: pids }), mounts: [] });
            expect(l.appMemoryBytes).toBeGreaterThanOrEqual(ws * l.headroom);
            expect(l.cpus).toBeGreaterThanOrEqual(cores * l.headroom - 1e-9);
            expect(l.pids).toBeGreaterThanOrEqual(pids * l.headroom);
          }
        }
      }
    }
  });
});

describe('limitsForMounts', () => {
  it('follows the mounts a repair or leave-one-out left: the app\'s memory stays, the tmpfs part changes', () => {
    const l = chooseLimits({ policy: 'starter', usage: usage(), mounts: [mount('/tmp', 'tmpfs', 64 * MiB)] });
    const after = limitsForMounts(l, [mount('/tmp', 'tmpfs', 64 * MiB), mount('/var/cache/app', 'tmpfs', 96 * MiB)]);
    expect(after).toMatchObject({ appMemoryBytes: l.appMemoryBytes, tmpfsBytes: 160 * MiB, memoryBytes: l.appMemoryBytes + 160 * MiB });
  });
});
