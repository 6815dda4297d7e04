import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import type { ArchiveEntry } from '../../src/harvest/archive.js';
import { archiveName, contentOf, type Tree } from './scenarios.js';

/**
 * One entry of a tar built for a test; a file gets a body of `size` bytes that starts with
 * its `head` (see contentOf). `mtimeMs` is kept to the second, as tar keeps it.
 */
export type TarEntry = ArchiveEntry | (Omit<ArchiveEntry, 'type'> & { readonly type: 'fifo' });

/** A tar archive in memory, as Docker's archive endpoint sends one. */
export async function tarBuffer(entries: readonly TarEntry[]): Promise<Buffer> {
  const p = pack();
  for (const e of entries) {
    const base = { uid: e.uid, gid: e.gid, mode: e.mode, mtime: new Date(e.mtimeMs) };
    if (e.type === 'dir') p.entry({ ...base, name: `${e.name}/`, type: 'directory' });
    else if (e.type === 'symlink') p.entry({ ...base, name: e.name, type: 'symlink', linkname: e.linkTarget ?? '' });
    else if (e.type === 'fifo') p.entry({ ...base, name: e.name, type: 'fifo' });
    else p.entry({ ...base, name: e.name, type: 'file', size: e.size }, contentOf(e));
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A node Readable over the buffer in chunks of `chunkSize` (like an HTTP response body). */
export function chunkedStream(buf: Buffer, chunkSize = 16 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunkSize) chunks.push(buf.subarray(i, i + chunkSize));
  return Readable.from(chunks, { objectMode: false });
}

/** The tar Docker sends for `GET /containers/ID/archive?path=DIR` over this filesystem. */
export async function archiveOf(tree: Tree, dir: string): Promise<Buffer> {
  const paths = [...tree.keys()].filter((p) => p === dir || p.startsWith(dir === '/' ? '/' : `${dir}/`)).sort();
  return tarBuffer(paths.map((p) => ({ name: archiveName(dir, p), ...tree.get(p)! })));
}
