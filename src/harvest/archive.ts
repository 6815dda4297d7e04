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
  /** Modification time, ms since the epoch. */
  readonly mtimeMs: number;
  readonly linkTarget?: string;
  /** The first bytes of a regular file's content (up to headBytes), to recognise its format. */
  readonly head?: Buffer;
}

export interface ReadHeadersOptions {
  /** Stop after this many entries (the rest of the stream is not read). */
  readonly maxEntries: number;
  /** Keep this many leading bytes of each regular file (0: none). */
  readonly headBytes?: number;
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
      // Truncated only when there is an entry beyond the limit, not merely at it.
      if (entries.length >= options.maxEntries) {
        entry.resume();
        truncated = true;
        break;
      }
      const head = await drain(entry as unknown as AsyncIterable<Buffer>, entry.header.type === 'file' ? (options.headBytes ?? 0) : 0);
      entries.push(toEntry(entry.header, head));
    }
  } finally {
    source.unpipe(ex);
    source.destroy();
    ex.destroy();
  }
  return { entries, truncated };
}

/** Reads a body to its end (tar-stream needs that to go on), keeping only its first `keep` bytes. */
async function drain(body: AsyncIterable<Buffer>, keep: number): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let kept = 0;
  for await (const chunk of body) {
    if (kept < keep) {
      const part = chunk.subarray(0, keep - kept);
      parts.push(part);
      kept += part.length;
    }
  }
  return kept > 0 ? Buffer.concat(parts) : undefined;
}

function toEntry(h: Header, head: Buffer | undefined): ArchiveEntry {
  const type = h.type === 'file' || h.type === 'contiguous-file' ? 'file' : h.type === 'directory' ? 'dir' : h.type === 'symlink' ? 'symlink' : 'other';
  return {
    name: h.name.replace(/\/+$/, ''),
    type,
    size: h.size ?? 0,
    uid: h.uid ?? 0,
    gid: h.gid ?? 0,
    mode: (h.mode ?? 0) & 0o7777,
    mtimeMs: h.mtime ? h.mtime.getTime() : 0,
    ...(head ? { head } : {}),
    ...(h.linkname ? { linkTarget: h.linkname } : {}),
  };
}

/** The content of the first regular file in a tar stream (at most maxBytes), or undefined. */
export async function readFirstFile(source: Readable, maxBytes: number): Promise<{ name: string; body: Buffer } | undefined> {
  const ex = extract();
  source.on('error', (e) => ex.destroy(e));
  source.pipe(ex);
  try {
    for await (const entry of ex) {
      const isFile = entry.header.type === 'file' || entry.header.type === 'contiguous-file';
      const body = await drain(entry as unknown as AsyncIterable<Buffer>, isFile ? maxBytes : 0);
      if (isFile) return { name: entry.header.name, body: body ?? Buffer.alloc(0) };
    }
    return undefined;
  } finally {
    source.unpipe(ex);
    source.destroy();
    ex.destroy();
  }
}
