import { describe, expect, it } from 'vitest';
import type { PathStat } from '../../../src/runtime/engine.js';
import { resolveInImage } from '../../../src/pipeline/analyze-trace.js';

/** A tiny image: Debian's compat links, a usr-merged /bin, a relative link and a loop. */
const IMAGE = new Map<string, PathStat>([
  ['/var', { type: 'dir', mode: 0o755, size: 0 }],
  ['/var/run', { type: 'symlink', mode: 0o777, size: 4, linkTarget: '/run' }],
  ['/var/lock', { type: 'symlink', mode: 0o777, size: 9, linkTarget: '/run/lock' }],
  ['/run', { type: 'dir', mode: 0o755, size: 0 }],
  ['/run/lock', { type: 'dir', mode: 0o1777, size: 0 }],
  ['/bin', { type: 'symlink', mode: 0o777, size: 7, linkTarget: 'usr/bin' }],
  ['/usr', { type: 'dir', mode: 0o755, size: 0 }],
  ['/usr/bin', { type: 'dir', mode: 0o755, size: 0 }],
  ['/srv', { type: 'dir', mode: 0o755, size: 0 }],
  ['/srv/current', { type: 'symlink', mode: 0o777, size: 9, linkTarget: '../srv/v2' }],
  ['/srv/v2', { type: 'dir', mode: 0o755, size: 0 }],
  ['/loop', { type: 'symlink', mode: 0o777, size: 5, linkTarget: '/loop' }],
]);
const stat = async (p: string) => IMAGE.get(p);

describe('resolveInImage', () => {
  it.each([
    ['/var/run/nginx.pid', '/run/nginx.pid'],
    ['/var/lock/apache2/x', '/run/lock/apache2/x'],
    ['/bin/sh', '/usr/bin/sh'],
    ['/srv/current/app.db', '/srv/v2/app.db'],
    ['/srv/./v2/../v2/x', '/srv/v2/x'],
    ['/new/dir/file', '/new/dir/file'],
    ['/', '/'],
  ])('%s is really %s', async (path, real) => {
    expect(await resolveInImage(path, stat)).toBe(real);
  });

  it('gives up on a symlink loop after 40 hops instead of spinning', async () => {
    expect(await resolveInImage('/loop/x', stat)).toBe('/loop/x');
  });
});
