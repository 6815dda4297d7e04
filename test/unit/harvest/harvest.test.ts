import { describe, expect, it } from 'vitest';
import { harvest, takeSnapshot, writeDirs, type Snapshot } from '../../../src/harvest/harvest.js';
import type { DirFacts } from '../../../src/model/fs-facts.js';
import type { FsChange, WriteEvent } from '../../../src/model/write-event.js';
import { EngineFake } from '../../helpers/engine-fake.js';
import { busyboxScenario, nginxScenario, parseDiffText, readDiff, redisScenario, snapshotOf, type Scenario, type Tree } from '../../helpers/scenarios.js';
import { archiveOf, chunkedStream } from '../../helpers/tar.js';

const none = () => false;
const EMPTY: Snapshot = { changes: [], listings: new Map() };

function harvestScenario(s: Scenario, ignore: (p: string) => boolean = none) {
  return harvest({ running: snapshotOf(s.running, s.treeRunning, ignore), stopped: snapshotOf(s.stopped, s.treeStopped, ignore), ignore });
}

function factsOf(fs: { dirs: readonly DirFacts[] }, path: string): DirFacts | undefined {
  return fs.dirs.find((d) => d.path === path);
}

describe('writeDirs', () => {
  it.each<[string, FsChange[], string[]]>([
    ['nginx while running', readDiff('nginx-running'), ['/run', '/var/lib/nginx', '/var/log/nginx']],
    // /run changed with nothing changed below (the pid file came and went): /run itself is read.
    ['nginx after stop', readDiff('nginx-stopped'), ['/run', '/var/lib/nginx', '/var/log/nginx']],
    // A file written straight into /etc: system trees are never read whole.
    ['a write into /etc', parseDiffText('C /etc\nA /etc/app.conf\n'), []],
    ['the busybox app', readDiff('busybox-app'), ['/run/app', '/var/log/app']],
    ['redis after stop', readDiff('redis-stopped'), ['/var/lib/redis']],
    ['a tree of created directories', parseDiffText('C /srv\nA /srv/a\nA /srv/a/b\nA /srv/a/b/c.txt\n'), ['/srv']],
  ])('lists the directories %s wrote into', (_name, changes, dirs) => {
    const dirsInImage = new Set(['/run', '/srv', '/etc', '/var/lib/nginx', '/var/log/nginx', '/var/lib/redis', '/run/app', '/var/log/app']);
    expect(writeDirs(changes, none, (p) => dirsInImage.has(p))).toEqual(dirs);
  });

  it('skips ignored paths', () => {
    expect(writeDirs(readDiff('nginx-running'), (p) => p.startsWith('/var/log'), () => false)).toEqual(['/run', '/var/lib/nginx']);
  });
});

describe('takeSnapshot', () => {
  it('reads one archive per directory written into and keys every entry by absolute path', async () => {
    const s = nginxScenario();
    const engine = new EngineFake();
    const tree: Tree = s.treeRunning;
    for (const dir of ['/run', '/var/lib/nginx', '/var/log/nginx']) {
      const buf = await archiveOf(tree, dir);
      engine.archives.set(dir, () => chunkedStream(buf));
    }
    const snap = await takeSnapshot(engine, 'c0ffee', s.running, none);
    expect(engine.callsTo('getArchive')).toEqual([
      ['c0ffee', '/run'],
      ['c0ffee', '/var/lib/nginx'],
      ['c0ffee', '/var/log/nginx'],
    ]);
    expect(snap.changes).toBe(s.running);
    expect(snap.listings).toEqual(snapshotOf(s.running, tree).listings);
    const logs = snap.listings.get('/var/log/nginx');
    expect(logs?.self).toEqual({ name: 'nginx', type: 'dir', size: 0, uid: 0, gid: 4, mode: 0o755 });
    expect([...(logs?.entries.keys() ?? [])]).toEqual(['/var/log/nginx/access.log', '/var/log/nginx/error.log']);
    expect(logs?.truncated).toBe(false);
  });
});

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
    ['/run', { path: '/run', exists: true, type: 'dir', uid: 0, gid: 0, mode: 0o755, shipped: ['lock', 'mount'] }],
    ['/var/lib/nginx', { path: '/var/lib/nginx', exists: true, type: 'dir', uid: 0, gid: 0, mode: 0o755, shipped: [] }],
    ['/var/log/nginx', { path: '/var/log/nginx', exists: true, type: 'dir', uid: 0, gid: 4, mode: 0o755, shipped: ['access.log', 'error.log'] }],
  ])('describes nginx’s %s as the image ships it', (path, expected) => {
    expect(factsOf(harvestScenario(nginxScenario()).fs, path)).toEqual(expected);
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

  it('catches the redis dump written only at shutdown', () => {
    const s = redisScenario();
    const { events, fs } = harvest({ running: EMPTY, stopped: snapshotOf(s.stopped, s.treeStopped), ignore: none });
    expect(events).toEqual<WriteEvent[]>([
      { path: '/var/lib/redis/dump.rdb', realPath: '/var/lib/redis/dump.rdb', source: 'diff', type: 'file', size: 88, uid: 100, gid: 101, mode: 0o644, op: 'add' },
    ]);
    expect(fs.dirs).toEqual<DirFacts[]>([{ path: '/var/lib/redis', exists: true, type: 'dir', uid: 100, gid: 101, mode: 0o750, shipped: [] }]);
  });
});

describe('harvest rules', () => {
  const tree: Tree = new Map([
    ['/', { type: 'dir', size: 0, uid: 0, gid: 0, mode: 0o755 }],
    ['/etc', { type: 'dir', size: 0, uid: 0, gid: 0, mode: 0o755 }],
    ['/etc/hosts', { type: 'file', size: 174, uid: 0, gid: 0, mode: 0o644 }],
    ['/srv', { type: 'dir', size: 0, uid: 0, gid: 0, mode: 0o755 }],
    ['/srv/cache', { type: 'dir', size: 0, uid: 1000, gid: 1000, mode: 0o755 }],
    ['/srv/cache/keep', { type: 'file', size: 3, uid: 1000, gid: 1000, mode: 0o644 }],
    ['/srv/cache/new', { type: 'file', size: 10, uid: 1000, gid: 1000, mode: 0o644 }],
    ['/srv/data', { type: 'dir', size: 0, uid: 0, gid: 0, mode: 0o755 }],
  ] as const);

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

  it('counts a file the image shipped and the app deleted among what a mount would hide', () => {
    const { events, fs } = run('C /srv\nC /srv/cache\nD /srv/cache/old\nA /srv/cache/new\n');
    expect(events.map((e) => `${e.op} ${e.realPath}`)).toEqual(['add /srv/cache/new', 'delete /srv/cache/old']);
    expect(factsOf(fs, '/srv/cache')?.shipped).toEqual(['keep', 'old']);
  });

  it('keeps a directory changed with nothing left below it, and describes it', () => {
    const { events, fs } = run('C /srv\nC /srv/cache\n');
    expect(events).toEqual<WriteEvent[]>([{ path: '/srv/cache', realPath: '/srv/cache', source: 'diff', type: 'dir', size: 0, uid: 1000, gid: 1000, mode: 0o755, op: 'modify' }]);
    expect(factsOf(fs, '/srv/cache')).toEqual({ path: '/srv/cache', exists: true, type: 'dir', uid: 1000, gid: 1000, mode: 0o755, shipped: ['keep', 'new'] });
  });

  it('never reads a system tree whole, even when a tree is created straight under it', () => {
    const { fs, events } = run('A /opt\nA /opt/app\nA /opt/app/state\n');
    expect(fs.dirs).toEqual([]);
    expect(events.map((e) => e.path)).toEqual(['/opt', '/opt/app', '/opt/app/state']);
  });

  it('says a directory missing from every listing does not exist', () => {
    const stopped: Snapshot = { changes: [], listings: new Map([['/nowhere', { entries: new Map(), truncated: false }]]) };
    expect(harvest({ running: EMPTY, stopped, ignore: none }).fs.dirs).toEqual([{ path: '/nowhere', exists: false, shipped: [] }]);
  });
});
