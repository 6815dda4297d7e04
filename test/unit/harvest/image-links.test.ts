import { describe, expect, it } from 'vitest';
import { COMPAT_LINKS, absoluteTarget, listVolume, readCompatLinks } from '../../../src/harvest/image-links.js';
import { EngineFake } from '../../helpers/engine-fake.js';
import { dir, file } from '../../helpers/scenarios.js';
import { archiveOf, chunkedStream } from '../../helpers/tar.js';

describe('absoluteTarget', () => {
  it.each([
    ['/var/run', '/run', '/run'],
    ['/var/run', '../run', '/run'],
    ['/var/lock', '../run/lock', '/run/lock'],
    ['/bin', 'usr/bin', '/usr/bin'],
    ['/lib64', 'usr/lib64', '/usr/lib64'],
    ['/tmp', '/var/tmp/', '/var/tmp'],
    ['/srv/current', './releases/v2', '/srv/releases/v2'],
    ['/srv/current', 'releases//v2/.', '/srv/releases/v2'],
    ['/a/b', '../../../x', '/x'],
    ['/x', '/a/./b//c/..', '/a/b'],
    ['/x', '/', '/'],
  ])('resolves %s -> %s to %s', (link, target, expected) => {
    expect(absoluteTarget(link, target)).toBe(expected);
  });
});

describe('readCompatLinks', () => {
  it('stats each compatibility link once and keeps the symlinks, with absolute targets', async () => {
    const engine = new EngineFake();
    engine.stats.set('/var/run', { type: 'symlink', mode: 0o777, size: 4, linkTarget: '/run' });
    engine.stats.set('/var/lock', { type: 'symlink', mode: 0o777, size: 9, linkTarget: '../run/lock' });
    engine.stats.set('/tmp', { type: 'dir', mode: 0o1777, size: 4096 });
    engine.stats.set('/bin', { type: 'symlink', mode: 0o777, size: 7, linkTarget: 'usr/bin' });
    expect(await readCompatLinks(engine, 'c0ffee')).toEqual([
      { path: '/var/run', target: '/run' },
      { path: '/var/lock', target: '/run/lock' },
      { path: '/bin', target: '/usr/bin' },
    ]);
    expect(engine.callsTo('statPath')).toEqual(COMPAT_LINKS.map((p) => ['c0ffee', p]));
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
    const listing = await listVolume(engine, 'c0ffee', '/data', 100);
    expect(listing.destination).toBe('/data');
    expect([...listing.entries.keys()]).toEqual(['/data', '/data/app.db']);
    expect(listing.entries.get('/data/app.db')).toMatchObject({ name: 'data/app.db', mtimeMs: 1_700_000_000_000, head: Buffer.from('SQLite format 3\0', 'latin1') });
  });
});
