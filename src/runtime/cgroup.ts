import { readFile } from 'node:fs/promises';
import type { UsageSample } from './engine.js';

/**
 * Reading a container's cgroup on the engine's own host: the kernel's counters, with the true
 * peaks where it keeps them (v1 memory.max_usage_in_bytes, v2 memory.peak and pids.peak), where
 * the engine's stats API only gives the values of the moment. Undefined when the files cannot be
 * read (another host, another cgroup namespace, a container that just stopped).
 */
export interface CgroupLocation {
  readonly version: 1 | 2;
  /** v1: directory per controller; v2: the one unified directory under every key. */
  readonly memory: string;
  readonly cpu: string;
  readonly pids: string;
}

const ROOT = '/sys/fs/cgroup';

/** Where the cgroup of a process lives, from its /proc/PID/cgroup lines. */
export function locateCgroup(procCgroup: string, root = ROOT): CgroupLocation | undefined {
  // Controller → its hierarchy's directory: a v1 hierarchy is mounted under the name of the
  // controllers it holds together ("cpu,cpuacct" on most hosts, "cpuacct" alone on others).
  const byController = new Map<string, string>();
  let unified: string | undefined;
  for (const line of procCgroup.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, , controllers, path] = m as unknown as [string, string, string, string];
    if (controllers === '') unified = path;
    for (const c of controllers.split(',')) if (c !== '' && !c.startsWith('name=')) byController.set(c, `${root}/${controllers}${path === '/' ? '' : path}`);
  }
  // A hybrid host has both: the v1 memory controller is the one that counts then.
  const memory = byController.get('memory');
  if (memory !== undefined) {
    const cpu = byController.get('cpuacct');
    const pids = byController.get('pids');
    if (cpu === undefined || pids === undefined) return undefined;
    return { version: 1, memory, cpu, pids };
  }
  if (unified === undefined) return undefined;
  const dir = `${root}${unified === '/' ? '' : unified}`;
  return { version: 2, memory: dir, cpu: dir, pids: dir };
}

/** One reading of the counters; rejects when a file the version must have is missing. */
export async function readCgroup(loc: CgroupLocation): Promise<UsageSample> {
  const num = async (file: string) => Number((await readFile(file, 'utf8')).trim());
  const optional = (file: string) => num(file).then((n) => (Number.isFinite(n) ? n : undefined), () => undefined);
  if (loc.version === 1) {
    const [memoryBytes, memoryPeakBytes, stat, cpuNs, pids] = await Promise.all([
      num(`${loc.memory}/memory.usage_in_bytes`),
      optional(`${loc.memory}/memory.max_usage_in_bytes`),
      readFile(`${loc.memory}/memory.stat`, 'utf8'),
      num(`${loc.cpu}/cpuacct.usage`),
      num(`${loc.pids}/pids.current`),
    ]);
    return sample({ memoryBytes, memoryPeakBytes, inactiveFileBytes: statField(stat, 'total_inactive_file') ?? statField(stat, 'inactive_file') ?? 0, cpuNs, pids });
  }
  const [memoryBytes, memoryPeakBytes, stat, cpuStat, pids, pidsPeak] = await Promise.all([
    num(`${loc.memory}/memory.current`),
    optional(`${loc.memory}/memory.peak`),
    readFile(`${loc.memory}/memory.stat`, 'utf8'),
    readFile(`${loc.cpu}/cpu.stat`, 'utf8'),
    num(`${loc.pids}/pids.current`),
    optional(`${loc.pids}/pids.peak`),
  ]);
  return sample({ memoryBytes, memoryPeakBytes, inactiveFileBytes: statField(stat, 'inactive_file') ?? 0, cpuNs: (statField(cpuStat, 'usage_usec') ?? 0) * 1000, pids, pidsPeak });
}

/** A `key value` line of memory.stat or cpu.stat. */
export function statField(text: string, key: string): number | undefined {
  const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

function sample(s: { memoryBytes: number; memoryPeakBytes: number | undefined; inactiveFileBytes: number; cpuNs: number; pids: number; pidsPeak?: number | undefined }): UsageSample {
  if (![s.memoryBytes, s.cpuNs, s.pids].every(Number.isFinite)) throw new Error('unreadable cgroup counters');
  return {
    memoryBytes: s.memoryBytes,
    inactiveFileBytes: s.inactiveFileBytes,
    cpuNs: s.cpuNs,
    pids: s.pids,
    ...(s.memoryPeakBytes !== undefined ? { memoryPeakBytes: s.memoryPeakBytes } : {}),
    ...(s.pidsPeak !== undefined ? { pidsPeak: s.pidsPeak } : {}),
  };
}

/** The cgroup of a host process, when this machine is the engine's host and can read it. */
export async function cgroupOfPid(pid: number): Promise<CgroupLocation | undefined> {
  const text = await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => undefined);
  const loc = text !== undefined ? locateCgroup(text) : undefined;
  if (!loc) return undefined;
  return (await readCgroup(loc).then(() => true, () => false)) ? loc : undefined;
}
