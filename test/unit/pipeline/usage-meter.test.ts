import { describe, expect, it } from 'vitest';
import { startMeter } from '../../../src/pipeline/usage-meter.js';
import type { UsageSample } from '../../../src/runtime/engine.js';
import { EngineFake, LOCAL_ENGINE, containerState } from '../../helpers/engine-fake.js';

const REMOTE = { ...LOCAL_ENGINE, local: false, loopback: false, endpoint: 'tcp://10.0.0.2:2376' };
const MiB = 1024 * 1024;
const s = (o: Partial<UsageSample>): UsageSample => ({ memoryBytes: 10 * MiB, inactiveFileBytes: 2 * MiB, cpuNs: 0, pids: 1, ...o });

describe('startMeter through the engine\'s stats API', () => {
  it('keeps the peaks of every reading, the working set without the inactive file cache, and CPU summed across a restart', async () => {
    const engine = new EngineFake();
    engine.statsSamples = [
      s({ memoryBytes: 10 * MiB, cpuNs: 100e6, pids: 2 }),
      s({ memoryBytes: 30 * MiB, inactiveFileBytes: 12 * MiB, cpuNs: 300e6, pids: 5 }),
      // A restart: fresh counters.
      s({ memoryBytes: 8 * MiB, memoryPeakBytes: 9 * MiB, cpuNs: 50e6, pids: 1 }),
    ];
    const meter = await startMeter({ engine, engineInfo: REMOTE, id: 'c1', intervalMs: 5 });
    await new Promise((r) => setTimeout(r, 40));
    const u = await meter.stop();
    expect(u).toMatchObject({ source: 'engine-stats', memoryPeakBytes: 30 * MiB, workingSetPeakBytes: 18 * MiB, pidsPeak: 5, cpuSeconds: 0.35, mounts: [] });
    expect(u!.samples).toBeGreaterThanOrEqual(3);
    expect(u!.cpuPeakCores).toBeGreaterThan(0);
    // The stats API only: a remote engine's cgroup files are not this machine's.
    expect(engine.calls.every((c) => c.method === 'usageStats')).toBe(true);
  });

  it('nothing when not one reading answered (a job that ended at once)', async () => {
    const engine = new EngineFake();
    const meter = await startMeter({ engine, engineInfo: REMOTE, id: 'c1', intervalMs: 5 });
    expect(await meter.stop()).toBeUndefined();
  });

  it('a local engine whose container has no host pid (stopped) falls back to the stats API', async () => {
    const engine = new EngineFake();
    engine.states = [containerState({ hostPid: 0 })];
    engine.statsSamples = [s({})];
    const meter = await startMeter({ engine, engineInfo: LOCAL_ENGINE, id: 'c1', intervalMs: 1000 });
    expect(await meter.stop()).toMatchObject({ source: 'engine-stats', samples: 2 });
  });
});
