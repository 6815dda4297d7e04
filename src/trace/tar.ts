import { pack } from 'tar-stream';

export interface TarEntry {
  readonly name: string;
  readonly type: 'file' | 'directory';
  readonly mode: number;
  readonly body?: Buffer | string;
}

/** A tar archive in memory (root-owned entries, epoch mtime, so the bytes are deterministic). */
export async function tarOf(entries: readonly TarEntry[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', resolve);
    p.on('error', reject);
  });
  for (const e of entries) {
    const header = { name: e.name, type: e.type, mode: e.mode, uid: 0, gid: 0, mtime: new Date(0) };
    if (e.type === 'file') p.entry({ ...header, size: Buffer.byteLength(e.body ?? '') }, e.body ?? '');
    else p.entry(header);
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}
