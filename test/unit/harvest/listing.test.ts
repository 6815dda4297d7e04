import { describe, expect, it } from 'vitest';
import type { ArchiveEntry } from '../../../src/harvest/archive.js';
import { listDir, listVolume, listingCollector, listingScope } from '../../../src/harvest/listing.js';
import { EngineFake } from '../../helpers/engine-fake.js';
import { dir, file, parseDiffText } from '../../helpers/scenarios.js';
import { archiveOf, chunkedStream } from '../../helpers/tar.js';

const entry = (name: string, type: ArchiveEntry['type'] = 'file'): ArchiveEntry => ({ name, type, size: 1, uid: 0, gid: 0, mode: 0o644, mtimeMs: 0 });

describe('listingScope', () => {
  it('holds every changed path and every ancestor of one, never /', () => {
    const scope = listingScope(parseDiffText('C /srv\nA /srv/app/cache/x.bin\nD /var/log/old.log\n'));
    expect([...scope].sort()).toEqual(['/srv', '/srv/app', '/srv/app/cache', '/srv/app/cache/x.bin', '/var', '/var/log', '/var/log/old.log']);
  });
});

describe('listingCollector', () => {
  // The archive of /srv/app: Docker names entries after the directory's basename.
  const archive = ['app', 'app/README', 'app/cache', 'app/cache/x.bin', 'app/cache/y.bin', 'app/vendor', 'app/vendor/a', 'app/vendor/a/deep.js', 'app/vendor/b.js', 'app/empty'].map((n) =>
    entry(n, /\.|README/.test(n) ? 'file' : 'dir'),
  );

  it('keeps every entry by absolute path without a scope', () => {
    const c = listingCollector('/srv/app');
    for (const e of archive) c.add(e, e.name);
    const l = c.done();
    expect(l.self).toMatchObject({ type: 'dir' });
    expect([...l.entries.keys()]).toEqual(archive.slice(1).map((e) => `/srv/${e.name}`));
    expect(l.occupied).toBeUndefined();
  });

  it('keeps what sits in the directory or in a scoped one, and marks kept directories it read past', () => {
    const c = listingCollector('/srv/app', listingScope(parseDiffText('C /srv/app\nC /srv/app/cache\nA /srv/app/cache/x.bin\n')));
    const heads = archive.map((e) => c.keeps(e.name));
    for (const e of archive) c.add(e, e.name);
    const l = c.done();
    expect([...l.entries.keys()]).toEqual(['/srv/app/README', '/srv/app/cache', '/srv/app/cache/x.bin', '/srv/app/cache/y.bin', '/srv/app/vendor', '/srv/app/empty']);
    // vendor holds entries that were read past; vendor/a is deeper than any kept directory.
    expect(l.occupied).toEqual(new Set(['/srv/app/vendor']));
    expect(heads).toEqual([true, true, true, true, true, true, false, false, false, true]);
  });
});

describe('listDir', () => {
  it('streams a directory of 20,000 entries whole, keeping its entries by absolute path', async () => {
    const tree = new Map([['/var/spool/q', dir(0, 0, 0o755)]]);
    for (let i = 0; i < 20_000; i++) tree.set(`/var/spool/q/${String(i).padStart(5, '0')}`, file(1, 1, 0o600, 10));
    const engine = new EngineFake();
    const buf = await archiveOf(tree, '/var/spool/q');
    engine.archives.set('/var/spool/q', () => chunkedStream(buf, 8192));
    const l = await listDir(engine, 'c0ffee', '/var/spool/q');
    expect(l.self).toMatchObject({ type: 'dir' });
    expect(l.entries.size).toBe(20_000);
    expect(l.entries.get('/var/spool/q/19999')).toEqual({ type: 'file', size: 10, uid: 1, gid: 1, mode: 0o600, mtimeMs: 0, head: Buffer.alloc(10, 0x61) });
  });
});

describe('listVolume', () => {
  it('keys the entries of a declared volume by absolute path, with their times and heads', async () => {
    const tree = new Map([
      ['/data', dir(999, 999, 0o700)],
      ['/data/app.db', { ...file(999, 999, 0o644, 4096, 'SQLite format 3\0'), mtimeMs: 1_700_000_000_000 }],
    ]);
    const engine = new EngineFake();
    const buf = await archiveOf(tree, '/data');
    engine.archives.set('/data', () => chunkedStream(buf));
    const listing = await listVolume(engine, 'c0ffee', '/data');
    expect(listing.destination).toBe('/data');
    expect([...listing.entries.keys()]).toEqual(['/data', '/data/app.db']);
    expect(listing.entries.get('/data/app.db')).toMatchObject({ mtimeMs: 1_700_000_000_000, head: Buffer.from('SQLite format 3\0', 'latin1') });
  });
});
