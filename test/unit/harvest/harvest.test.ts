import { describe, expect, it } from 'vitest';
import { harvest } from '../../../src/harvest/harvest.js';
import { listingScope, type DirListing } from '../../../src/harvest/listing.js';
import type { Snapshot } from '../../../src/harvest/snapshot.js';
import type { DirFacts, ShippedEntry } from '../../../src/model/fs-facts.js';
import type { WriteEvent } from '../../../src/model/write-event.js';
import {
  apache2Scenario,
  busyboxScenario,
  configEditScenario,
  dir,
  file,
  harvestScenario,
  link,
  listingOf,
  nginxScenario,
  parseDiffText,
  redisScenario,
  snapshotOf,
  sqliteAppScenario,
  volumeListingOf,
  type Tree,
} from '../../helpers/scenarios.js';

const none = () => false;
const EMPTY: Snapshot = { changes: [], listings: new Map() };

function factsOf(fs: { dirs: readonly DirFacts[] }, path: string): DirFacts | undefined {
  return fs.dirs.find((d) => d.path === path);
}

const emptyDir = (name: string, mode = 0o755): ShippedEntry => ({ name, type: 'dir', size: 0, uid: 0, gid: 0, mode, empty: true });

describe('harvest on the captured fixture images', () => {
  it('turns the nginx diffs into write events, with the pid file created and removed', () => {
    const { events, changes } = harvestScenario(nginxScenario());
    const tempDir = (name: string): WriteEvent => ({ path: `/var/lib/nginx/${name}`, realPath: `/var/lib/nginx/${name}`, source: 'diff', type: 'dir', size: 0, uid: 33, gid: 0, mode: 0o700, op: 'add' });
    expect(events).toEqual<WriteEvent[]>([
      { path: '/run/nginx.pid', realPath: '/run/nginx.pid', source: 'diff', type: 'file', size: 2, uid: 0, gid: 0, mode: 0o644, op: 'add' },
      { path: '/run/nginx.pid', realPath: '/run/nginx.pid', op: 'delete', source: 'diff', type: 'file' },
      tempDir('body'),
      tempDir('fastcgi'),
      tempDir('proxy'),
      tempDir('scgi'),
      tempDir('uwsgi'),
      { path: '/var/log/nginx/access.log', realPath: '/var/log/nginx/access.log', source: 'diff', type: 'file', size: 93, uid: 33, gid: 4, mode: 0o640, op: 'modify' },
    ]);
    expect(changes).toHaveLength(13);
  });

  it.each<[string, DirFacts]>([
    ['/run', { path: '/run', exists: true, type: 'dir', uid: 0, gid: 0, mode: 0o755, shipped: [emptyDir('lock', 0o1777), emptyDir('mount')] }],
    ['/var/lib/nginx', { path: '/var/lib/nginx', exists: true, type: 'dir', uid: 0, gid: 0, mode: 0o755, shipped: [] }],
    ['/var/lib/nginx/body', { path: '/var/lib/nginx/body', exists: true, created: true, type: 'dir', uid: 33, gid: 0, mode: 0o700, shipped: [] }],
    [
      '/var/log/nginx',
      {
        path: '/var/log/nginx',
        exists: true,
        type: 'dir',
        uid: 0,
        gid: 4,
        mode: 0o755,
        shipped: [
          { name: 'access.log', type: 'file', size: 93, uid: 33, gid: 4, mode: 0o640 },
          { name: 'error.log', type: 'file', size: 0, uid: 33, gid: 4, mode: 0o640 },
        ],
      },
    ],
  ])('describes nginx’s %s as the image ships it', (path, expected) => {
    expect(factsOf(harvestScenario(nginxScenario()).fs, path)).toEqual(expected);
  });

  it('describes every directory the analysis may mount, and the links that lead into them', () => {
    const { fs } = harvestScenario(nginxScenario());
    expect(fs.dirs.map((d) => d.path)).toEqual(['/run', '/var/lib/nginx', ...['body', 'fastcgi', 'proxy', 'scgi', 'uwsgi'].map((d) => `/var/lib/nginx/${d}`), '/var/log/nginx']);
    expect(fs.symlinks).toEqual([
      { path: '/var/lock', target: '/run/lock' },
      { path: '/var/run', target: '/run' },
    ]);
  });

  it('sees apache2 create /run/apache2 and /run/lock/apache2 in directories the image ships', () => {
    const { events, fs } = harvestScenario(apache2Scenario());
    expect(events.map((e) => `${e.op} ${e.realPath} ${e.type}`)).toEqual([
      'add /run/apache2 dir',
      'add /run/apache2/apache2.pid file',
      'delete /run/apache2/apache2.pid file',
      'add /run/apache2/socks dir',
      'add /run/lock/apache2 dir',
      'modify /var/log/apache2/access.log file',
      'modify /var/log/apache2/error.log file',
    ]);
    expect(fs.dirs.map((d) => [d.path, d.created ?? false, d.shipped.map((s) => `${s.name}${s.empty ? ' (empty)' : ''}`)])).toEqual([
      // /run/lock is empty as shipped: apache2 is the app's.
      ['/run', false, ['lock (empty)', 'mount (empty)']],
      ['/run/apache2', true, []],
      ['/run/apache2/socks', true, []],
      ['/run/lock', false, []],
      ['/run/lock/apache2', true, []],
      ['/var/log/apache2', false, ['access.log', 'error.log', 'other_vhosts_access.log']],
    ]);
  });

  it('turns the busybox app diff into two files owned by uid 1000', () => {
    const { events, fs } = harvestScenario(busyboxScenario());
    expect(events.map((e) => [e.op, e.realPath, e.type, e.uid, e.gid])).toEqual([
      ['add', '/run/app/app.pid', 'file', 1000, 1000],
      ['add', '/var/log/app/app.log', 'file', 1000, 1000],
    ]);
    expect(fs.dirs).toEqual<DirFacts[]>([
      { path: '/run/app', exists: true, type: 'dir', uid: 1000, gid: 1000, mode: 0o755, shipped: [] },
      { path: '/var/log/app', exists: true, type: 'dir', uid: 1000, gid: 1000, mode: 0o755, shipped: [] },
    ]);
  });

  it('sees the edit of a shipped config file, and what else the directory ships', () => {
    const { events, fs } = harvestScenario(configEditScenario());
    expect(events.map((e) => `${e.op} ${e.realPath}`)).toEqual(['modify /etc/app/httpd.conf']);
    expect(factsOf(fs, '/etc/app')?.shipped.map((s) => [s.name, s.size])).toEqual([
      ['defaults.env', 72],
      ['httpd.conf', 118],
    ]);
  });

  it('catches the redis dump written only at shutdown, and knows it by its header', () => {
    const s = redisScenario();
    const { events, fs } = harvest({ running: EMPTY, stopped: snapshotOf(s.stopped, s.treeStopped), ignore: none });
    expect(events).toEqual<WriteEvent[]>([
      { path: '/var/lib/redis/dump.rdb', realPath: '/var/lib/redis/dump.rdb', source: 'diff', type: 'file', size: 88, uid: 100, gid: 101, mode: 0o644, op: 'add', format: 'redis-rdb' },
    ]);
    expect(fs.dirs).toEqual<DirFacts[]>([{ path: '/var/lib/redis', exists: true, type: 'dir', uid: 100, gid: 101, mode: 0o750, shipped: [] }]);
  });

  it('knows the SQLite database by its header', () => {
    const { events } = harvestScenario(sqliteAppScenario());
    expect(events.map((e) => [e.realPath, e.format])).toEqual([['/var/lib/app/app.db', 'sqlite']]);
  });
});

describe('harvest rules', () => {
  const tree: Tree = new Map([
    ['/', dir(0, 0, 0o755)],
    ['/etc', dir(0, 0, 0o755)],
    ['/etc/hosts', file(0, 0, 0o644, 174)],
    ['/srv', dir(0, 0, 0o755)],
    ['/srv/cache', dir(1000, 1000, 0o755)],
    ['/srv/cache/keep', file(1000, 1000, 0o644, 3)],
    ['/srv/cache/new', file(1000, 1000, 0o644, 10)],
    ['/srv/cache/conf.d', dir(1000, 1000, 0o755)],
    ['/srv/cache/conf.d/a.conf', file(1000, 1000, 0o644, 12)],
    ['/srv/cache/current', link('conf.d')],
    ['/srv/data', dir(0, 0, 0o755)],
  ]);

  function run(diff: string, ignore: (p: string) => boolean = none) {
    const changes = parseDiffText(diff);
    return harvest({ running: EMPTY, stopped: snapshotOf(changes, tree, ignore), ignore });
  }

  it('drops Docker’s own files and the directories changed only because of them', () => {
    const { events } = run('C /etc\nC /etc/hosts\nC /srv\nC /srv/cache\nA /srv/cache/new\n');
    expect(events.map((e) => `${e.op} ${e.realPath}`)).toEqual(['add /srv/cache/new']);
  });

  it('drops the user’s mount points', () => {
    const { events } = run('C /srv\nA /srv/data\nC /srv/cache\nA /srv/cache/new\n', (p) => p === '/srv/data' || p.startsWith('/srv/data/'));
    expect(events.map((e) => `${e.op} ${e.realPath}`)).toEqual(['add /srv/cache/new']);
  });

  it('describes what a directory ships: entries, directories empty or not, link targets; never what the app added', () => {
    const { fs } = run('C /srv\nC /srv/cache\nA /srv/cache/new\n');
    expect(factsOf(fs, '/srv/cache')?.shipped).toEqual<ShippedEntry[]>([
      { name: 'conf.d', type: 'dir', size: 0, uid: 1000, gid: 1000, mode: 0o755, empty: false },
      { name: 'current', type: 'symlink', size: 0, uid: 0, gid: 0, mode: 0o777, linkTarget: 'conf.d' },
      { name: 'keep', type: 'file', size: 3, uid: 1000, gid: 1000, mode: 0o644 },
    ]);
  });

  it('counts a file the image shipped and the app deleted among what a mount would hide', () => {
    const { events, fs } = run('C /srv\nC /srv/cache\nD /srv/cache/old\nA /srv/cache/new\n');
    expect(events.map((e) => `${e.op} ${e.realPath}`)).toEqual(['add /srv/cache/new', 'delete /srv/cache/old']);
    expect(factsOf(fs, '/srv/cache')?.shipped.map((s) => s.name)).toEqual(['conf.d', 'current', 'keep', 'old']);
  });

  it('keeps a directory changed with nothing left below it, and describes it', () => {
    const { events, fs } = run('C /srv\nC /srv/cache\n');
    expect(events).toEqual<WriteEvent[]>([{ path: '/srv/cache', realPath: '/srv/cache', source: 'diff', type: 'dir', size: 0, uid: 1000, gid: 1000, mode: 0o755, op: 'modify' }]);
    expect(factsOf(fs, '/srv/cache')).toMatchObject({ path: '/srv/cache', exists: true, type: 'dir', uid: 1000, gid: 1000, mode: 0o755 });
    expect(factsOf(fs, '/srv/cache')?.shipped.map((s) => s.name)).toEqual(['conf.d', 'current', 'keep', 'new']);
  });

  it('never reads a system tree whole, even when a tree is created straight under it', () => {
    const { fs, events } = run('A /opt\nA /opt/app\nA /opt/app/state\n');
    expect(fs.dirs).toEqual([]);
    expect(events.map((e) => e.path)).toEqual(['/opt', '/opt/app', '/opt/app/state']);
  });

  it('says a directory missing from every listing does not exist', () => {
    const stopped: Snapshot = { changes: [], listings: new Map([['/nowhere', { entries: new Map() }]]) };
    expect(harvest({ running: EMPTY, stopped, ignore: none }).fs.dirs).toEqual([{ path: '/nowhere', exists: false, shipped: [] }]);
  });

  it('says a shipped directory the listing read past is not empty, as the whole listing would', () => {
    const changes = parseDiffText('C /srv\nC /srv/cache\nA /srv/cache/new\n');
    const scoped = listingOf(tree, '/srv/cache', listingScope(changes));
    expect(scoped.entries.has('/srv/cache/conf.d/a.conf')).toBe(false);
    expect(scoped.occupied).toEqual(new Set(['/srv/cache/conf.d']));
    const facts = (l: DirListing) => factsOf(harvest({ running: EMPTY, stopped: { changes, listings: new Map([['/srv/cache', l]]) }, ignore: none }).fs, '/srv/cache');
    expect(facts(scoped)).toEqual(facts(listingOf(tree, '/srv/cache')));
    expect(facts(scoped)?.shipped.find((e) => e.name === 'conf.d')?.empty).toBe(false);
  });

  it('sorts the links it is given', () => {
    const symlinks = [
      { path: '/var/run', target: '/run' },
      { path: '/var/lock', target: '/run/lock' },
    ];
    expect(harvest({ running: EMPTY, stopped: EMPTY, ignore: none, symlinks }).fs.symlinks.map((l) => l.path)).toEqual(['/var/lock', '/var/run']);
  });
});

describe('harvest of declared volumes', () => {
  const STARTED = 1_700_000_000_000;
  const volume: Tree = new Map([
    ['/data', { ...dir(999, 999, 0o700), mtimeMs: STARTED + 5_000 }],
    ['/data/shipped.conf', { ...file(0, 0, 0o644, 20), mtimeMs: STARTED - 86_400_000 }],
    ['/data/app.db', { ...file(999, 999, 0o644, 4096, 'SQLite format 3\0'), mtimeMs: STARTED + 4_000 }],
    // File times and the engine's start time come from one kernel, but to the second.
    ['/data/early', { ...file(999, 999, 0o644, 1), mtimeMs: STARTED - 1_000 }],
  ]);

  it('takes the entries changed since the container started for the app’s writes, seen by the volume', () => {
    const { events } = harvest({ running: EMPTY, stopped: EMPTY, ignore: none, volumes: [volumeListingOf(volume, '/data')], startedAtMs: STARTED });
    expect(events).toEqual<WriteEvent[]>([
      { path: '/data/app.db', realPath: '/data/app.db', op: 'add', source: 'volume', type: 'file', size: 4096, uid: 999, gid: 999, mode: 0o644, format: 'sqlite' },
      { path: '/data/early', realPath: '/data/early', op: 'add', source: 'volume', type: 'file', size: 1, uid: 999, gid: 999, mode: 0o644 },
    ]);
  });
});
