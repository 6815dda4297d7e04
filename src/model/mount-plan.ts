/** The decision: which directories stay writable, and how. */
export type MountKind = 'tmpfs' | 'volume' | 'seeded';

export interface Mount {
  /** Real absolute path inside the container. */
  readonly path: string;
  readonly kind: MountKind;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly exec: boolean;
  readonly sizeBytes: number;
  /** Paths of the write events this mount serves. */
  readonly covers: readonly string[];
  /** Why this directory. */
  readonly reasons: readonly string[];
  /** Shipped entries this mount shadows. */
  readonly hides: readonly string[];
}

export type FindingKind =
  | 'system-write'
  | 'declared-volume'
  | 'shadowed-content'
  | 'log-file'
  | 'noise'
  | 'user-mount';

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
