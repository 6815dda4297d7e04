/** The decision: which directories stay writable, and how. */
export type MountKind = 'tmpfs' | 'volume' | 'seeded';

export interface Mount {
  /** Real absolute path inside the container. */
  readonly path: string;
  readonly kind: MountKind;
  /** Name of the named volume, for kind volume and seeded. */
  readonly volumeName?: string;
  /** True when the directory is not in the image: the runtime creates the mount point. */
  readonly created?: boolean;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly exec: boolean;
  readonly sizeBytes: number;
  /** Paths of the write events this mount serves (the first 100, sorted). */
  readonly covers: readonly string[];
  /** How many distinct paths it serves in all. */
  readonly coversCount: number;
  /** Bytes the app wrote here during the profile. */
  readonly observedBytes: number;
  /** Why this directory. */
  readonly reasons: readonly string[];
  /** Shipped entries this mount shadows. */
  readonly hides: readonly string[];
  /** What verification showed about it: required (the run broke without it, evidence says how) or no difference seen. */
  readonly verified?: { readonly without: 'broke' | 'no-difference'; readonly evidence: readonly string[] };
}

export const FINDING_KINDS = [
  'system-write',
  'modified-shipped-file',
  'persistent-data',
  'seeded-content',
  'shadowed-content',
  'hidden-symlink-target',
  'symlink-alias',
  'declared-volume',
  'volume-owner',
  'log-file',
  'user-mount',
  'optional-write',
  'restart-state',
  'unverified',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  readonly kind: FindingKind;
  readonly severity: 'info' | 'warning' | 'error';
  readonly path: string;
  readonly message: string;
  readonly evidence: readonly string[];
}

export interface MountPlan {
  readonly mounts: readonly Mount[];
}
