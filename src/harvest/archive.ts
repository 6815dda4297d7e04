import type { Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';

/** One entry's header as a listing keeps it (its archive name is its key there, made absolute). */
export interface ListedEntry {
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

/** An entry with its name in the archive. */
export interface ArchiveEntry extends ListedEntry {
  /** Path inside the archive, without a trailing slash ("nginx", "nginx/access.log"). */
  readonly name: string;
}

export interface ScanOptions {
  /** Keep this many leading bytes of each regular file (0: none). */
  readonly headBytes?: number;
  /** Whether an entry's head is wanted, asked with its archive name before its body passes (default: all). */
  readonly wantsHead?: (name: string) => boolean;
}

/**
 * Streams the headers of a tar stream (Docker's archive API) to `onEntry` (with each entry's
 * archive name, kept apart so that a listing keeps no second copy of its key), one at a time
 * and in archive order, never holding more than one: each body is skipped as it passes (only
 * the first headBytes of a wanted file are copied), so a directory of any size is read whole in
 * memory that does not grow with it. What to keep is the caller's choice. An error thrown by
 * `onEntry` or by the source rejects, and the source is destroyed on every path.
 * @returns the number of entries read.
 */
export function scanArchive(source: Readable, options: ScanOptions, onEntry: (e: ListedEntry, name: string) => void): Promise<number> {
  const ex = extract();
  const headBytes = options.headBytes ?? 0;
  let count = 0;
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const settle = (error: unknown) => {
      if (settled) return;
      settled = true;
      source.unpipe(ex);
      source.destroy();
      ex.destroy();
      if (error === undefined) resolve(count);
      else reject(error instanceof Error ? error : new Error(String(error)));
    };
    ex.on('entry', (header, body, next) => {
      const name = header.name.replace(/\/+$/, '');
      const keep = headBytes > 0 && isFile(header) && (header.size ?? 0) > 0 && (options.wantsHead?.(name) ?? true) ? headBytes : 0;
      const parts: Buffer[] = [];
      let kept = 0;
      if (keep > 0) {
        body.on('data', (chunk: unknown) => {
          if (kept >= keep) return;
          const part = (chunk as Buffer).subarray(0, keep - kept);
          parts.push(part);
          kept += part.length;
        });
      }
      body.on('end', () => {
        try {
          onEntry(toEntry(header, kept > 0 ? Buffer.concat(parts) : undefined), name);
          count++;
          next();
        } catch (e) {
          settle(e);
        }
      });
      body.on('error', settle);
      // No data listener unless a head is wanted: the body is read and dropped, chunk by chunk.
      body.resume();
    });
    ex.on('finish', () => settle(undefined));
    ex.on('error', settle);
    source.on('error', settle);
    source.pipe(ex);
  });
}

/** Every entry of a tar stream, in archive order (for small archives: a listing keeps what it needs). */
export async function readHeaders(source: Readable, options: ScanOptions = {}): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = [];
  await scanArchive(source, options, (e, name) => entries.push({ name, ...e }));
  return entries;
}

function isFile(h: Header): boolean {
  return h.type === 'file' || h.type === 'contiguous-file';
}

function toEntry(h: Header, head: Buffer | undefined): ListedEntry {
  const type = isFile(h) ? 'file' : h.type === 'directory' ? 'dir' : h.type === 'symlink' ? 'symlink' : 'other';
  // Assigned field by field, not spread: this runs once per entry of a directory of any size.
  const e: { -readonly [K in keyof ListedEntry]: ListedEntry[K] } = {
    type,
    size: h.size ?? 0,
    uid: h.uid ?? 0,
    gid: h.gid ?? 0,
    mode: (h.mode ?? 0) & 0o7777,
    mtimeMs: h.mtime ? h.mtime.getTime() : 0,
  };
  if (head) e.head = head;
  if (h.linkname) e.linkTarget = h.linkname;
  return e;
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
