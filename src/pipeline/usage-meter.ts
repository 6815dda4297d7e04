import { statfs } from 'node:fs/promises';
import type { MountUsage, RunUsage } from '../model/usage.js';
import { cgroupOfPid, readCgroup, type CgroupLocation } from '../runtime/cgroup.js';
import type { Engine, EngineInfo, UsageSample } from '../runtime/engine.js';

export interface MeterOptions {
  readonly engine: Engine;
  readonly engineInfo: EngineInfo;
  /** The running container. */
  readonly id: string;
  /** tmpfs mount points of the run, whose used blocks are sampled (through /proc/PID/root on a local engine). */
  readonly tmpfs?: readonly string[];
  readonly intervalMs?: number;
  /** 'engine-stats' skips the cgroup files even where they can be read (tests of the fallback). */
  readonly source?: 'auto' | 'engine-stats';
}

export interface UsageMeter {
  /** One more reading now, then the figures; the meter stops. Undefined when not one reading succeeded. Later calls give the same figures. */
  stop(): Promise<RunUsage | undefined>;
}

/** statfs(2)'s f_type of a tmpfs: anything else under the path is not the mount we sized. */
const TMPFS_MAGIC = 0x01021994;

/**
 * Samples a container's memory, CPU and task counters while it runs, from its cgroup files when
 * this machine is the engine's host (the kernel's own peaks included), else from the engine's
 * stats API. The timer is unref'd and readings never overlap; a reading that fails (the
 * container restarting between inspect and read) is skipped, and the cgroup is looked up again,
 * since a restart gives the container new counters: CPU time is summed across starts.
 */
export async function startMeter(o: MeterOptions): Promise<UsageMeter> {
  const started = Date.now();
  let loc: CgroupLocation | undefined;
  let pid = 0;
  let startedAtMs = 0;
  const locate = async () => {
    if (!o.engineInfo.local || o.source === 'engine-stats') return;
    const st = await o.engine.inspectContainer(o.id).catch(() => undefined);
    if (!st || st.hostPid === 0) return;
    pid = st.hostPid;
    startedAtMs = st.startedAtMs;
    loc = await cgroupOfPid(st.hostPid);
  };
  await locate();
  const source: RunUsage['source'] = loc ? (loc.version === 1 ? 'cgroup-v1' : 'cgroup-v2') : 'engine-stats';
  let samples = 0;
  let memoryPeak = 0;
  let workingSetPeak = 0;
  let pidsPeak = 0;
  let cpuBase = 0;
  let lastCpu = 0;
  let lastAt = 0;
  let cpuPeakCores = 0;
  const tmpfsPeak = new Map<string, number>();

  const read = async (): Promise<UsageSample | undefined> => {
    if (source === 'engine-stats') return o.engine.usageStats(o.id).catch(() => undefined);
    const first = loc ? await readCgroup(loc).catch(() => undefined) : undefined;
    if (first) return first;
    await locate();
    return loc ? readCgroup(loc).catch(() => undefined) : undefined;
  };
  const take = async () => {
    const s = await read();
    const now = Date.now();
    if (s) {
      samples++;
      memoryPeak = Math.max(memoryPeak, s.memoryBytes, s.memoryPeakBytes ?? 0);
      workingSetPeak = Math.max(workingSetPeak, s.memoryBytes - s.inactiveFileBytes);
      pidsPeak = Math.max(pidsPeak, s.pids, s.pidsPeak ?? 0);
      // A counter lower than the last one: the container started again with fresh counters.
      if (s.cpuNs < lastCpu) {
        cpuBase += lastCpu;
        lastCpu = 0;
      }
      // The first reading's rate runs from the start (same host, same clock): a start-up burst counts.
      const from = lastAt > 0 ? lastAt : startedAtMs;
      if (from > 0 && now > from) cpuPeakCores = Math.max(cpuPeakCores, (s.cpuNs - lastCpu) / 1e6 / Math.max(now - from, 50));
      lastCpu = s.cpuNs;
      lastAt = now;
    }
    if (pid !== 0) {
      for (const path of o.tmpfs ?? []) {
        const used = await tmpfsUsed(pid, path);
        if (used !== undefined) tmpfsPeak.set(path, Math.max(tmpfsPeak.get(path) ?? 0, used));
      }
    }
  };

  let busy: Promise<void> = take();
  await busy;
  const timer = setInterval(() => {
    // No overlap: a slow reading makes the next one wait, it does not queue a second.
    busy = busy.then(take);
  }, o.intervalMs ?? 250);
  timer.unref();

  const finish = async (): Promise<RunUsage | undefined> => {
    clearInterval(timer);
    await busy;
    await take();
    if (samples === 0) return undefined;
    const mounts: MountUsage[] = [...tmpfsPeak].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, peakBytes]) => ({ path, peakBytes, source: 'tmpfs' }));
    return {
      source,
      durationMs: Date.now() - started,
      samples,
      memoryPeakBytes: memoryPeak,
      workingSetPeakBytes: Math.max(0, workingSetPeak),
      cpuSeconds: Math.round((cpuBase + lastCpu) / 1e6) / 1e3,
      cpuPeakCores: Math.round(cpuPeakCores * 1000) / 1000,
      pidsPeak,
      mounts,
    };
  };
  // Once: a cleanup scope may stop it again after the run did, and must not read a removed container.
  let stopped: Promise<RunUsage | undefined> | undefined;
  return { stop: () => (stopped ??= finish()) };
}

/** Bytes in use on the tmpfs at `path` inside the container of host process `pid`; undefined when it is not a tmpfs or not readable. */
async function tmpfsUsed(pid: number, path: string): Promise<number | undefined> {
  const st = await statfs(`/proc/${pid}/root${path}`).catch(() => undefined);
  if (!st || st.type !== TMPFS_MAGIC) return undefined;
  return (st.blocks - st.bfree) * st.bsize;
}
