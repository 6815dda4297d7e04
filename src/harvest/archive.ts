import type { Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';

export interface ArchiveEntry {
  /** Path inside the archive, without a trailing slash ("nginx", "nginx/access.log"). */
  readonly name: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'other';
  readonly size: number;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly linkTarget?: string;
}

export interface ReadHeadersOptions {
  /** Stop after this many entries (the rest of the stream is not read). */
  readonly maxEntries: number;
}

/**
 * Reads the headers of a tar stream (Docker's archive API) without keeping any file body:
 * each body is drained as it passes, and the source is destroyed once enough was read, so a
 * large directory costs a bounded amount of work.
 */
export async function readHeaders(
  source: Readable,
  options: ReadHeadersOptions,
): Promise<{ entries: ArchiveEntry[]; truncated: boolean }> {
  const ex = extract();
  const entries: ArchiveEntry[] = [];
  let truncated = false;
  source.on('error', (e) => ex.destroy(e));
  source.pipe(ex);
  try {
    for await (const entry of ex) {
      entry.resume();
      // Truncated only when there is an entry beyond the limit, not merely at it.
      if (entries.length >= options.maxEntries) {
        truncated = true;
        break;
      }
      entries.push(toEntry(entry.header));
    }
  } finally {
    source.unpipe(ex);
    source.destroy();
    ex.destroy();
  }
  return { entries, truncated };
}

function toEntry(h: Header): ArchiveEntry {
  const type = h.type === 'file' || h.type === 'contiguous-file' ? 'file' : h.type === 'directory' ? 'dir' : h.type === 'symlink' ? 'symlink' : 'other';
  return {
    name: h.name.replace(/\/+$/, ''),
    type,
    size: h.size ?? 0,
    uid: h.uid ?? 0,
    gid: h.gid ?? 0,
    mode: (h.mode ?? 0) & 0o7777,
    ...(h.linkname ? { linkTarget: h.linkname } : {}),
  };
}
