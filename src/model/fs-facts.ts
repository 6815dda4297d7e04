/** What the image (as shipped) holds at a directory that may become a mount. */
export interface DirFacts {
  readonly path: string;
  readonly exists: boolean;
  readonly type?: 'dir' | 'symlink' | 'file' | 'other';
  readonly uid?: number;
  readonly gid?: number;
  readonly mode?: number;
  readonly linkTarget?: string;
  /** Names (relative to path) of the entries the image ships inside, sorted. */
  readonly shipped: readonly string[];
}

export interface FsFacts {
  readonly dirs: readonly DirFacts[];
}
