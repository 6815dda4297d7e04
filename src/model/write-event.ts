/** One thing the app did to the filesystem, whoever saw it. */
export const WRITE_OPS = ['add', 'modify', 'delete', 'open-write', 'failed-write', 'exec'] as const;
export type WriteOp = (typeof WRITE_OPS)[number];

export const WRITE_SOURCES = ['diff', 'strace', 'volume', 'verify-log'] as const;
export type WriteSource = (typeof WRITE_SOURCES)[number];

export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

export interface WriteEvent {
  /** The path as the app (or the observer) named it. */
  readonly path: string;
  /** The path with symlinks resolved against the image. */
  readonly realPath: string;
  readonly op: WriteOp;
  readonly source: WriteSource;
  readonly type?: EntryType;
  readonly size?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly mode?: number;
  readonly errno?: string;
  /** What the content is, when its first bytes say so (e.g. "sqlite", "redis-rdb"). */
  readonly format?: string;
}

/** What `docker diff` reports for one path. */
export interface FsChange {
  readonly kind: 'added' | 'modified' | 'deleted';
  readonly path: string;
}
