import { describe, expect, it } from 'vitest';
import { COMPAT_LINKS, absoluteTarget, readCompatLinks } from '../../../src/harvest/image-links.js';
import { EngineFake } from '../../helpers/engine-fake.js';

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
