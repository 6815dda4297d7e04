/** An entry the image ships directly inside a directory that may become a mount. */
export interface ShippedEntry {
  readonly name: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'other';
  readonly size: number;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  /** For a directory: true when the image ships nothing inside it. */
  readonly empty?: boolean;
  readonly linkTarget?: string;
}

/** What the image (as shipped) holds at a directory that matters to the analysis. */
export interface DirFacts {
  readonly path: string;
  /** True when the directory exists in the container after the run. */
  readonly exists: boolean;
  /** True when the app created it (it is not in the image). */
  readonly created?: boolean;
  readonly type?: 'dir' | 'symlink' | 'file' | 'other';
  readonly uid?: number;
  readonly gid?: number;
  readonly mode?: number;
  readonly linkTarget?: string;
  /** The entries the image ships directly inside, sorted by name (what a mount here would hide). */
  readonly shipped: readonly ShippedEntry[];
  /** Only in results of versions that stopped listings at 5,000 entries; read, never written, ignored. */
  readonly truncated?: boolean;
}

/** A symbolic link in the image, with its target made absolute. */
export interface Symlink {
  readonly path: string;
  readonly target: string;
}

/** Tools the image ships, which decide how a mount can be seeded (an init container needs sh and cp). */
export interface ImageTools {
  readonly sh: boolean;
  readonly cp: boolean;
}

export interface FsFacts {
  readonly dirs: readonly DirFacts[];
  readonly symlinks: readonly Symlink[];
  readonly tools?: ImageTools;
}
