import { limitsForMounts } from '../analyze/limits.js';
import type { Mount } from '../model/mount-plan.js';
import type { Limits } from '../model/usage.js';
import { formatSize } from './tmpfs-options.js';

/**
 * The chosen limits as each format writes them, from one place so that the three formats and the
 * verification runs agree. Docker charges a tmpfs's pages to the container's memory, so its
 * memory limit is the app's own plus every tmpfs size of these mounts.
 */
export function runLimitArgs(limits: Limits | undefined, mounts: readonly Mount[]): string[] {
  if (!limits) return [];
  const l = limitsForMounts(limits, mounts);
  return ['--memory', formatSize(l.memoryBytes), '--cpus', formatCpus(l.cpus), '--pids-limit', String(l.pids)];
}

/** compose `mem_limit`, `cpus`, `pids_limit` (the compose specification's service fields, which docker-compose 1.29 and v2 both apply). */
export function composeLimits(limits: Limits | undefined, mounts: readonly Mount[]): { mem_limit?: string; cpus?: string; pids_limit?: number } {
  if (!limits) return {};
  const l = limitsForMounts(limits, mounts);
  return { mem_limit: formatSize(l.memoryBytes), cpus: formatCpus(l.cpus), pids_limit: l.pids };
}

export interface K8sResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/**
 * Kubernetes requests and limits: memory requested as much as it may use (no overcommit of what
 * was measured), CPU requested at the average and limited at the peak. A memory-backed emptyDir
 * is charged to the container's memory too, so its sizeLimit is added when the Pod has them.
 */
export function k8sResources(limits: Limits, memoryEmptyDirBytes: number): K8sResources {
  const memory = k8sMemory(limits.appMemoryBytes + memoryEmptyDirBytes);
  return { requests: { cpu: k8sCpu(limits.cpuRequest), memory }, limits: { cpu: k8sCpu(limits.cpus), memory } };
}

export function formatCpus(cores: number): string {
  return String(Math.round(cores * 1000) / 1000);
}

/** Memory in Mi, rounded up (a quantity the API server keeps as written). */
export function k8sMemory(bytes: number): string {
  return `${Math.ceil(bytes / (1024 * 1024))}Mi`;
}

/** CPU in millicores, or whole cores where it is one. */
export function k8sCpu(cores: number): string {
  const milli = Math.max(1, Math.ceil(cores * 1000 - 1e-6));
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** A Kubernetes quantity as bytes (memory) or cores (cpu); undefined for forms we never write. */
export function parseQuantity(q: string | number): number | undefined {
  if (typeof q === 'number') return q;
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit: Record<string, number> = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return m[2] ? n * unit[m[2]]! : n;
}
