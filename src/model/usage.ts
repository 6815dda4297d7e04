/** What a run of the image used, measured while it ran (the profile's writable run, a verification run). */
export interface RunUsage {
  /** Where the figures came from: the container's cgroup files on this host, or the engine's stats API. */
  readonly source: 'cgroup-v1' | 'cgroup-v2' | 'engine-stats';
  /** How long it was measured, from its start to just before its stop. */
  readonly durationMs: number;
  /** How many samples were read (the peaks below are at least the highest sample). */
  readonly samples: number;
  /** Peak memory charged to the container, page cache included (the kernel's own peak where it keeps one). */
  readonly memoryPeakBytes: number;
  /** Peak of memory minus the inactive file cache the kernel reclaims first: what an OOM kill and the kubelet look at; tmpfs content counts here. */
  readonly workingSetPeakBytes: number;
  /** CPU time used, in seconds. */
  readonly cpuSeconds: number;
  /** The highest CPU rate between two samples, in cores. */
  readonly cpuPeakCores: number;
  /** Peak number of tasks (processes and threads), what a pids limit counts; exec steps count too. */
  readonly pidsPeak: number;
  /** Bytes in use per mount of the plan: a tmpfs's own count in a hardened run, or what the app wrote there in the writable run. */
  readonly mounts: readonly MountUsage[];
}

export interface MountUsage {
  readonly path: string;
  readonly peakBytes: number;
  /** tmpfs: the mount's used blocks, sampled; written: the bytes the app wrote there, from the harvest. */
  readonly source: 'tmpfs' | 'written';
}

export const LIMIT_POLICIES = ['off', 'starter', 'strict'] as const;
export type LimitPolicy = (typeof LIMIT_POLICIES)[number];

/** The resource limits emitted with the config, chosen from what was measured, and why. */
export interface Limits {
  readonly policy: Exclude<LimitPolicy, 'off'>;
  /** The factor applied to each measured peak. */
  readonly headroom: number;
  /** The app's own memory (no tmpfs): Kubernetes' memory limit with disk emptyDirs. */
  readonly appMemoryBytes: number;
  /** The sizes of the tmpfs mounts together: a tmpfs is charged to the container's memory, so Docker's limit adds them. */
  readonly tmpfsBytes: number;
  /** docker run --memory and compose mem_limit: the app's memory plus its tmpfs mounts. */
  readonly memoryBytes: number;
  /** --cpus, compose cpus, and Kubernetes limits.cpu (cores). */
  readonly cpus: number;
  /** Kubernetes requests.cpu (cores): the average use with headroom. */
  readonly cpuRequest: number;
  /** --pids-limit and compose pids_limit (Kubernetes sets pid limits per node, not per pod). */
  readonly pids: number;
  /** How each figure was reached from the measurement, for the report. */
  readonly basis: { readonly memory: string; readonly cpus: string; readonly pids: string };
}

/** What was measured, per run. */
export interface UsageRecord {
  readonly profile?: RunUsage;
  /** The final verification run, under the limits chosen (when there were any). */
  readonly verify?: RunUsage;
}
