import { describe, expect, it } from 'vitest';
import type { Mount } from '../../../src/model/mount-plan.js';
import type { Limits } from '../../../src/model/usage.js';
import { composeLimits, k8sCpu, k8sMemory, k8sResources, parseQuantity, runLimitArgs } from '../../../src/emit/resources.js';

const MiB = 1024 * 1024;
const LIMITS: Limits = { policy: 'starter', headroom: 2, appMemoryBytes: 96 * MiB, tmpfsBytes: 0, memoryBytes: 96 * MiB, cpus: 0.75, cpuRequest: 0.05, pids: 72, basis: { memory: '', cpus: '', pids: '' } };
const TMP: Mount = { path: '/tmp', kind: 'tmpfs', uid: 0, gid: 0, mode: 0o1777, exec: false, sizeBytes: 64 * MiB, covers: [], coversCount: 0, observedBytes: 0, reasons: [], hides: [] };

describe('the limits as each format writes them', () => {
  it('docker run: --memory holds the app and its tmpfs mounts, --cpus, --pids-limit', () => {
    expect(runLimitArgs(LIMITS, [TMP])).toEqual(['--memory', '160m', '--cpus', '0.75', '--pids-limit', '72']);
    expect(runLimitArgs(undefined, [TMP])).toEqual([]);
  });

  it('compose: mem_limit, cpus and pids_limit, the same figures', () => {
    expect(composeLimits(LIMITS, [TMP])).toEqual({ mem_limit: '160m', cpus: '0.75', pids_limit: 72 });
    expect(composeLimits(undefined, [])).toEqual({});
  });

  it('k8s: memory requested as limited, CPU requested at the average; memory-backed emptyDirs added', () => {
    expect(k8sResources(LIMITS, 0)).toEqual({ requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '750m', memory: '96Mi' } });
    expect(k8sResources(LIMITS, 64 * MiB).limits.memory).toBe('160Mi');
  });

  it('k8s quantities: whole cores without a unit, millicores rounded up, memory in Mi rounded up', () => {
    expect([k8sCpu(1), k8sCpu(2.5), k8sCpu(0.0101), k8sCpu(0)]).toEqual(['1', '2500m', '11m', '1m']);
    expect([k8sMemory(MiB), k8sMemory(MiB + 1)]).toEqual(['1Mi', '2Mi']);
  });

  it('parseQuantity reads what we write and the usual suffixes, and refuses the rest', () => {
    expect([parseQuantity('750m'), parseQuantity('2'), parseQuantity('96Mi'), parseQuantity('1Gi'), parseQuantity('1G'), parseQuantity(3)]).toEqual([0.75, 2, 96 * MiB, 1024 * MiB, 1e9, 3]);
    expect(parseQuantity('lots')).toBeUndefined();
  });
});
