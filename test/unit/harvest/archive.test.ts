import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readHeaders, scanArchive, type ArchiveEntry } from '../../../src/harvest/archive.js';
import { chunkedStream, tarBuffer, type TarEntry } from '../../helpers/tar.js';

const NGINX_LOGS: TarEntry[] = [
  { name: 'nginx', type: 'dir', size: 0, uid: 0, gid: 4, mode: 0o755, mtimeMs: 0 },
  { name: 'nginx/access.log', type: 'file', size: 93, uid: 33, gid: 4, mode: 0o640, mtimeMs: 0 },
  { name: 'nginx/error.log', type: 'file', size: 0, uid: 33, gid: 4, mode: 0o640, mtimeMs: 0 },
];

describe('readHeaders', () => {
  it('reads the headers of the /var/log/nginx archive', async () => {
    const entries = await readHeaders(chunkedStream(await tarBuffer(NGINX_LOGS)));
    expect(entries).toEqual<ArchiveEntry[]>([
      { name: 'nginx', type: 'dir', size: 0, uid: 0, gid: 4, mode: 0o755, mtimeMs: 0 },
      { name: 'nginx/access.log', type: 'file', size: 93, uid: 33, gid: 4, mode: 0o640, mtimeMs: 0 },
      { name: 'nginx/error.log', type: 'file', size: 0, uid: 33, gid: 4, mode: 0o640, mtimeMs: 0 },
    ]);
  });

  it.each<[string, TarEntry, Partial<ArchiveEntry>]>([
    ['a symlink keeps its target', { name: 'var/run', type: 'symlink', size: 0, uid: 0, gid: 0, mode: 0o777, mtimeMs: 0, linkTarget: '/run' }, { type: 'symlink', linkTarget: '/run' }],
    ['a fifo is "other"', { name: 'app/ctl', type: 'fifo', size: 0, uid: 1000, gid: 1000, mode: 0o600, mtimeMs: 0 }, { type: 'other', mode: 0o600, mtimeMs: 0 }],
    ['a sticky directory keeps the sticky bit', { name: 'tmp', type: 'dir', size: 0, uid: 0, gid: 0, mode: 0o1777, mtimeMs: 0 }, { name: 'tmp', type: 'dir', mode: 0o1777, mtimeMs: 0 }],
    ['a setuid file keeps the setuid bit', { name: 'bin/su', type: 'file', size: 1, uid: 0, gid: 0, mode: 0o4755, mtimeMs: 0 }, { type: 'file', mode: 0o4755, size: 1 }],
  ])('maps %s', async (_name, entry, expected) => {
    const entries = await readHeaders(chunkedStream(await tarBuffer([entry])));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject(expected);
  });

  it('keeps the first headBytes of each file body, and the modification time', async () => {
    const entries: TarEntry[] = [
      { name: 'redis', type: 'dir', size: 0, uid: 100, gid: 101, mode: 0o750, mtimeMs: 1_700_000_000_000 },
      { name: 'redis/dump.rdb', type: 'file', size: 88, uid: 100, gid: 101, mode: 0o644, mtimeMs: 1_700_000_001_000, head: Buffer.from('REDIS0011\xfa\tredis-ver', 'latin1') },
      { name: 'redis/short', type: 'file', size: 3, uid: 100, gid: 101, mode: 0o644, mtimeMs: 0, head: Buffer.from('abc') },
      { name: 'redis/empty', type: 'file', size: 0, uid: 100, gid: 101, mode: 0o644, mtimeMs: 0 },
    ];
    const read = await readHeaders(chunkedStream(await tarBuffer(entries), 7), { headBytes: 16 });
    expect(read.map((e) => [e.name, e.mtimeMs, e.head?.toString('latin1')])).toEqual([
      ['redis', 1_700_000_000_000, undefined],
      ['redis/dump.rdb', 1_700_000_001_000, 'REDIS0011\xfa\tredis'],
      ['redis/short', 0, 'abc'],
      ['redis/empty', 0, undefined],
    ]);
  });

  it('keeps no head unless asked', async () => {
    const entries = await readHeaders(chunkedStream(await tarBuffer(NGINX_LOGS)));
    expect(entries.some((e) => 'head' in e)).toBe(false);
  });

  it('skips large bodies without keeping them', async () => {
    const big: TarEntry[] = [
      { name: 'data', type: 'dir', size: 0, uid: 0, gid: 0, mode: 0o755, mtimeMs: 0 },
      { name: 'data/blob', type: 'file', size: 3 * 1024 * 1024, uid: 0, gid: 0, mode: 0o644, mtimeMs: 0 },
      { name: 'data/after', type: 'file', size: 5, uid: 0, gid: 0, mode: 0o644, mtimeMs: 0 },
    ];
    const entries = await readHeaders(chunkedStream(await tarBuffer(big)));
    expect(entries.map((e) => [e.name, e.size])).toEqual([
      ['data', 0],
      ['data/blob', 3 * 1024 * 1024],
      ['data/after', 5],
    ]);
  });

  it('reads every entry of a big archive, in order, with a head only for the files asked for', async () => {
    const many: TarEntry[] = Array.from({ length: 6000 }, (_, i) => ({ name: `d/f${String(i).padStart(4, '0')}`, type: 'file', size: 600, uid: 0, gid: 0, mode: 0o644, mtimeMs: 0, head: Buffer.from('x') }));
    const source = chunkedStream(await tarBuffer(many), 4096);
    const names: string[] = [];
    const heads: string[] = [];
    const count = await scanArchive(source, { headBytes: 4, wantsHead: (n) => n.endsWith('7') }, (e, name) => {
      names.push(name);
      if (e.head) heads.push(name);
    });
    expect(count).toBe(6000);
    expect(names).toEqual(many.map((e) => e.name));
    expect(heads).toEqual(many.map((e) => e.name).filter((n) => n.endsWith('7')));
    expect(source.destroyed).toBe(true);
  });

  it('rejects with the error a consumer throws, and destroys the source', async () => {
    const many: TarEntry[] = Array.from({ length: 50 }, (_, i) => ({ name: `d/f${String(i).padStart(2, '0')}`, type: 'file', size: 600, uid: 0, gid: 0, mode: 0o644, mtimeMs: 0 }));
    const source = chunkedStream(await tarBuffer(many), 512);
    const seen: string[] = [];
    const scan = scanArchive(source, {}, (_e, name) => {
      if (seen.push(name) === 3) throw new Error('enough');
    });
    await expect(scan).rejects.toThrow('enough');
    expect(seen).toEqual(['d/f00', 'd/f01', 'd/f02']);
    expect(source.destroyed).toBe(true);
  });

  it('rejects when the source fails', async () => {
    const source = new Readable({
      read() {
        this.destroy(new Error('socket hang up'));
      },
    });
    await expect(readHeaders(source)).rejects.toThrow('socket hang up');
  });

  it('reads an empty archive as no entries', async () => {
    expect(await readHeaders(chunkedStream(await tarBuffer([])))).toEqual([]);
  });
});
