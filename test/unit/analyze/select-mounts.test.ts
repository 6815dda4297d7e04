import { describe, expect, it } from 'vitest';
import { indexEvents, neededDir } from '../../../src/analyze/needed-dirs.js';
import { selectMounts } from '../../../src/analyze/select-mounts.js';
import type { DirFacts } from '../../../src/model/fs-facts.js';
import type { WriteEvent } from '../../../src/model/write-event.js';
import { sampleDir, sampleEvent as ev, sampleShipped as shipped } from '../../helpers/samples.js';

/** The needed directory of each event, then the selection, summed up one row per mount. */
function select(events: WriteEvent[], dirs: DirFacts[]) {
  const ix = indexEvents(events);
  const needs = new Map<string, WriteEvent[]>();
  for (const e of events) {
    const dir = neededDir(e, ix);
    if (dir !== undefined) needs.set(dir, [...(needs.get(dir) ?? []), e]);
  }
  const { chosen, systemWrites } = selectMounts(needs, new Map(dirs.map((d) => [d.path, d])));
  return {
    mounts: [...chosen.values()]
      .sort((a, b) => (a.path < b.path ? -1 : 1))
      .map((c) => ({
        path: c.path,
        serves: c.events.map((e) => e.realPath).sort(),
        ...(c.nestedIn !== undefined ? { nestedIn: c.nestedIn } : {}),
        ...(c.widenedFrom ? { widenedFrom: c.widenedFrom } : {}),
      })),
    systemWrites: Object.fromEntries([...systemWrites].map(([tree, es]) => [tree, es.map((e) => e.realPath)])),
  };
}

/** Debian's /run: it ships lock/ (empty, sticky) and mount/; /var/lock links to /run/lock. */
const DEBIAN_RUN = [sampleDir('/run', { shipped: [shipped('lock', 'dir', { mode: 0o1777 }), shipped('mount', 'dir')] }), sampleDir('/run/lock', { mode: 0o1777 })];
const APACHE2_EVENTS = [
  ev('add', '/run/apache2', { type: 'dir' }),
  ev('add', '/run/apache2/apache2.pid', { type: 'file' }),
  ev('add', '/run/lock/apache2', { type: 'dir', uid: 33 }),
];
const APACHE2_DIRS = [...DEBIAN_RUN, sampleDir('/run/apache2', { created: true }), sampleDir('/run/lock/apache2', { created: true, uid: 33 })];

describe('selectMounts', () => {
  it('mounts /run/apache2 and /run/lock for Debian apache2, not /run, which would hide /run/lock', () => {
    expect(select(APACHE2_EVENTS, APACHE2_DIRS)).toEqual({
      mounts: [
        { path: '/run/apache2', serves: ['/run/apache2', '/run/apache2/apache2.pid'] },
        { path: '/run/lock', serves: ['/run/lock/apache2'], widenedFrom: ['/run/lock/apache2'] },
      ],
      systemWrites: {},
    });
  });

  it('mounts /run and keeps /run/lock with a nested mount when apache2 also writes a file straight into /run', () => {
    expect(select([...APACHE2_EVENTS, ev('add', '/run/httpd.sock', { type: 'file' })], APACHE2_DIRS)).toEqual({
      mounts: [
        // /run/apache2 is not in the image: the app creates it again inside the tmpfs on /run.
        { path: '/run', serves: ['/run/apache2', '/run/apache2/apache2.pid', '/run/httpd.sock'] },
        { path: '/run/lock', serves: ['/run/lock/apache2'], nestedIn: '/run' },
      ],
      systemWrites: {},
    });
  });

  it.each<[string, WriteEvent[], DirFacts[], ReturnType<typeof select>['mounts']]>([
    ['one needed directory becomes one mount', [ev('add', '/srv/cache/x', { type: 'file' })], [sampleDir('/srv/cache')], [{ path: '/srv/cache', serves: ['/srv/cache/x'] }]],
    [
      'a needed directory the app created inside a mount is served by it',
      [ev('add', '/srv/x', { type: 'file' }), ev('add', '/srv/new', { type: 'dir' }), ev('add', '/srv/new/y', { type: 'file' })],
      [sampleDir('/srv', { shipped: [shipped('www', 'dir', { empty: false })] }), sampleDir('/srv/new', { created: true })],
      [{ path: '/srv', serves: ['/srv/new', '/srv/new/y', '/srv/x'] }],
    ],
    [
      'a shipped directory on the way down becomes a nested mount at the topmost one',
      [ev('add', '/srv/x', { type: 'file' }), ev('add', '/srv/www/data/y', { type: 'file' })],
      [sampleDir('/srv', { shipped: [shipped('www', 'dir', { empty: false })] }), sampleDir('/srv/www', { shipped: [shipped('data', 'dir')] }), sampleDir('/srv/www/data')],
      [
        { path: '/srv', serves: ['/srv/x'] },
        { path: '/srv/www', serves: [], nestedIn: '/srv' },
        { path: '/srv/www/data', serves: ['/srv/www/data/y'], nestedIn: '/srv/www' },
      ],
    ],
    [
      'every write below a kept directory goes to the innermost mount, whichever needed directory came first',
      [ev('add', '/srv/x', { type: 'file' }), ev('add', '/srv/www/data/y', { type: 'file' }), ev('add', '/srv/www/data/new', { type: 'dir' })],
      [sampleDir('/srv', { shipped: [shipped('www', 'dir', { empty: false })] }), sampleDir('/srv/www', { shipped: [shipped('data', 'dir')] }), sampleDir('/srv/www/data'), sampleDir('/srv/www/data/new', { created: true })],
      [
        { path: '/srv', serves: ['/srv/x'] },
        { path: '/srv/www', serves: [], nestedIn: '/srv' },
        { path: '/srv/www/data', serves: ['/srv/www/data/new', '/srv/www/data/y'], nestedIn: '/srv/www' },
      ],
    ],
    [
      'a directory the app deleted is no longer shipped: nothing to keep',
      [ev('add', '/srv/x', { type: 'file' }), ev('delete', '/srv/old/f', { type: 'file' })],
      [sampleDir('/srv', { shipped: [shipped('old', 'dir', { empty: false })] }), { path: '/srv/old', exists: false, shipped: [] }],
      [{ path: '/srv', serves: ['/srv/old/f', '/srv/x'] }],
    ],
    [
      'created directories whose parent ships nothing widen to the parent',
      ['body', 'proxy'].map((d) => ev('add', `/var/lib/nginx/${d}`, { type: 'dir', uid: 33 })),
      [sampleDir('/var/lib/nginx'), sampleDir('/var/lib/nginx/body', { created: true }), sampleDir('/var/lib/nginx/proxy', { created: true })],
      [{ path: '/var/lib/nginx', serves: ['/var/lib/nginx/body', '/var/lib/nginx/proxy'], widenedFrom: ['/var/lib/nginx/body', '/var/lib/nginx/proxy'] }],
    ],
    [
      'a created directory stays itself when its parent ships something',
      [ev('add', '/srv/app/state', { type: 'dir' })],
      [sampleDir('/srv/app', { shipped: [shipped('README')] }), sampleDir('/srv/app/state', { created: true })],
      [{ path: '/srv/app/state', serves: ['/srv/app/state'] }],
    ],
    [
      'a created directory stays itself when its parent is a system tree',
      [ev('add', '/opt', { type: 'dir' })],
      [sampleDir('/', { shipped: [] }), sampleDir('/opt', { created: true })],
      [{ path: '/opt', serves: ['/opt'] }],
    ],
    [
      'a created directory stays itself when its parent is not in the image',
      [ev('add', '/srv/cache/new', { type: 'dir' })],
      [sampleDir('/srv/cache/new', { created: true })],
      [{ path: '/srv/cache/new', serves: ['/srv/cache/new'] }],
    ],
  ])('%s', (_name, events, dirs, mounts) => {
    expect(select(events, dirs).mounts).toEqual(mounts);
  });

  it('never mounts a system tree, and never lets one absorb what lies below it', () => {
    const events = [ev('add', '/var/app.lock', { type: 'file' }), ev('add', '/var/lib/app/x', { type: 'file' }), ev('add', '/etc/app.conf', { type: 'file' })];
    expect(select(events, [sampleDir('/var', { shipped: [shipped('lib', 'dir', { empty: false })] }), sampleDir('/var/lib/app')])).toEqual({
      mounts: [{ path: '/var/lib/app', serves: ['/var/lib/app/x'] }],
      systemWrites: { '/etc': ['/etc/app.conf'], '/var': ['/var/app.lock'] },
    });
  });

  it('serves a needed directory from the nearest mount above it', () => {
    const events = [ev('add', '/srv/x', { type: 'file' }), ev('add', '/srv/a/b/c/f', { type: 'file' }), ev('add', '/srv/a', { type: 'dir' }), ev('add', '/srv/a/b', { type: 'dir' }), ev('add', '/srv/a/b/c', { type: 'dir' })];
    expect(select(events, [sampleDir('/srv', { shipped: [shipped('www', 'dir', { empty: false })] })]).mounts).toEqual([
      { path: '/srv', serves: ['/srv/a', '/srv/a/b', '/srv/a/b/c', '/srv/a/b/c/f', '/srv/x'] },
    ]);
  });
});
