import { describe, expect, it } from 'vitest';
import { harvest } from '../../../src/harvest/harvest.js';
import { takeSnapshot, writeDirs } from '../../../src/harvest/snapshot.js';
import type { FsChange } from '../../../src/model/write-event.js';
import { EngineFake } from '../../helpers/engine-fake.js';
import { dir, file, listingOf, nginxScenario, parseDiffText, readDiff, snapshotOf, type Entry, type Tree } from '../../helpers/scenarios.js';
import { archiveOf, chunkedStream } from '../../helpers/tar.js';

const none = () => false;

describe('writeDirs', () => {
  it.each<[string, FsChange[], string[]]>([
    ['nginx while running', readDiff('nginx-running'), ['/run', '/var/lib/nginx', '/var/log/nginx']],
    // /run changed with nothing changed below (the pid file came and went): /run itself is read.
    ['nginx after stop', readDiff('nginx-stopped'), ['/run', '/var/lib/nginx', '/var/log/nginx']],
    // Created directories are read through the parent of the topmost one, which the image ships.
    ['apache2 while running', readDiff('apache2-running'), ['/run', '/run/lock', '/var/log/apache2']],
    // A file written straight into /etc: system trees are never read whole.
    ['a write into /etc', parseDiffText('C /etc\nA /etc/app.conf\n'), []],
    ['config-edit, which edits a file in /etc/app', readDiff('config-edit-running'), ['/etc/app']],
    ['the busybox app', readDiff('busybox-app'), ['/run/app', '/var/log/app']],
    ['the non-root app', readDiff('nonroot-dirs-running'), ['/srv/uploads', '/tmp']],
    ['redis after stop', readDiff('redis-stopped'), ['/var/lib/redis']],
    ['the SQLite app', readDiff('sqlite-app-stopped'), ['/var/lib/app']],
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
    for (const d of ['/run', '/var/lib/nginx', '/var/log/nginx']) {
      const buf = await archiveOf(tree, d);
      engine.archives.set(d, () => chunkedStream(buf));
    }
    const snap = await takeSnapshot(engine, 'c0ffee', s.running, none);
    expect(engine.callsTo('getArchive')).toEqual([
      ['c0ffee', '/run'],
      ['c0ffee', '/var/lib/nginx'],
      ['c0ffee', '/var/log/nginx'],
    ]);
    // Only the modified leaves are stat-ed, to tell a directory from a file.
    expect(engine.callsTo('statPath')).toEqual([['c0ffee', '/var/log/nginx/access.log']]);
    expect(snap.changes).toBe(s.running);
    expect(snap.listings).toEqual(snapshotOf(s.running, tree).listings);
    const logs = snap.listings.get('/var/log/nginx');
    expect(logs?.self).toEqual({ type: 'dir', size: 0, uid: 0, gid: 4, mode: 0o755, mtimeMs: 0 });
    expect([...(logs?.entries.keys() ?? [])]).toEqual(['/var/log/nginx/access.log', '/var/log/nginx/error.log']);
    expect(logs?.entries.get('/var/log/nginx/access.log')?.head).toEqual(Buffer.alloc(16, 0x61));
  });

  it('reads a modified directory with nothing changed below it as itself, once a stat says it is one', async () => {
    const tree: Tree = new Map([
      ['/srv', dir(0, 0, 0o755)],
      ['/srv/cache', dir(1000, 1000, 0o755)],
    ]);
    const engine = new EngineFake();
    engine.stats.set('/srv/cache', { type: 'dir', mode: 0o755, size: 4096 });
    const buf = await archiveOf(tree, '/srv/cache');
    engine.archives.set('/srv/cache', () => chunkedStream(buf));
    const snap = await takeSnapshot(engine, 'c0ffee', parseDiffText('C /srv\nC /srv/cache\n'), none);
    expect([...snap.listings.keys()]).toEqual(['/srv/cache']);
  });
});

describe('takeSnapshot: directories a mount may be planned at', () => {
  it('reads those that exist, once, and owner and mode reach the facts (a mount above the written directory is no runtime default)', async () => {
    const tree: Tree = new Map([
      ['/var/lib/app', dir(101, 103, 0o750)],
      ['/var/lib/app/db', dir(101, 103, 0o700)],
      ['/var/lib/app/db/new', dir(101, 103, 0o700)],
    ]);
    const engine = new EngineFake();
    engine.stats.set('/var/lib/app', { type: 'dir', mode: 0o750, size: 4096 });
    for (const d of ['/var/lib/app', '/var/lib/app/db']) {
      const buf = await archiveOf(tree, d);
      engine.archives.set(d, () => chunkedStream(buf));
    }
    const changes = parseDiffText('C /var/lib/app\nC /var/lib/app/db\nA /var/lib/app/db/new\n');
    const snap = await takeSnapshot(engine, 'c0ffee', changes, none, ['/var/lib/app', '/var/lib/app/db', '/nowhere', '/var/lib/app']);
    expect([...snap.listings.keys()]).toEqual(['/var/lib/app/db', '/var/lib/app']);
    expect(engine.callsTo('getArchive')).toEqual([['c0ffee', '/var/lib/app/db'], ['c0ffee', '/var/lib/app']]);
    const { fs } = harvest({ running: { changes: [], listings: new Map() }, stopped: snap, ignore: none });
    expect(fs.dirs.find((d) => d.path === '/var/lib/app')).toMatchObject({ exists: true, uid: 101, gid: 103, mode: 0o750 });
  });
});
describe('takeSnapshot: a big directory', () => {
  it('reads it whole, keeping the changed entries and what the directories on their way ship, not the unchanged trees beside them', async () => {
    const tree = new Map<string, Entry>([
      ['/srv', dir(0, 0, 0o755)],
      ['/srv/app', dir(1000, 1000, 0o755)],
      ['/srv/app/README', file(0, 0, 0o644, 10)],
      ['/srv/app/vendor', dir(0, 0, 0o755)],
      ['/srv/app/queue', dir(1000, 1000, 0o755)],
    ]);
    for (let i = 0; i < 300; i++) tree.set(`/srv/app/vendor/lib${String(i).padStart(3, '0')}.js`, file(0, 0, 0o644, 100));
    const diff: string[] = ['C /srv', 'C /srv/app', 'A /srv/app/queue'];
    for (let i = 0; i < 6000; i++) {
      const p = `/srv/app/queue/${String(i).padStart(5, '0')}.msg`;
      tree.set(p, file(1000, 1000, 0o600, i));
      diff.push(`A ${p}`);
    }
    const changes = parseDiffText(`${diff.join('\n')}\n`);
    const engine = new EngineFake();
    const buf = await archiveOf(tree, '/srv/app');
    engine.archives.set('/srv/app', () => chunkedStream(buf, 4096));
    const snap = await takeSnapshot(engine, 'c0ffee', changes, none);
    const l = snap.listings.get('/srv/app');
    expect([...snap.listings.keys()]).toEqual(['/srv/app']);
    // Every one of the 6,000 new files, with its size, and nothing of the vendor tree but its directory.
    expect(l?.entries.size).toBe(6003);
    expect(l?.entries.get('/srv/app/queue/05999.msg')).toMatchObject({ type: 'file', size: 5999, mode: 0o600 });
    expect(l?.entries.has('/srv/app/vendor/lib000.js')).toBe(false);
    expect(l?.occupied).toEqual(new Set(['/srv/app/vendor']));
    const { fs, events } = harvest({ running: { changes: [], listings: new Map() }, stopped: snap, ignore: none });
    expect(events.filter((e) => e.size !== undefined)).toHaveLength(6001);
    expect(fs.dirs.find((d) => d.path === '/srv/app')?.shipped.map((e) => [e.name, e.empty])).toEqual([
      ['README', undefined],
      ['vendor', false],
    ]);
  });
});

describe('takeSnapshot: a directory inside another listed one', () => {
  it('is not read again, and the facts are those of reading each whole', async () => {
    const tree: Tree = new Map([
      ['/srv', dir(0, 0, 0o755)],
      ['/srv/readme', file(0, 0, 0o644, 5)],
      ['/srv/new', file(1000, 1000, 0o644, 7)],
      ['/srv/sub', dir(1000, 1000, 0o750)],
      ['/srv/sub/conf', file(1000, 1000, 0o600, 9)],
      ['/srv/sub/old', dir(0, 0, 0o755)],
      ['/srv/sub/old/x', file(0, 0, 0o644, 1)],
    ]);
    const changes = parseDiffText('C /srv\nA /srv/new\nC /srv/sub\nC /srv/sub/conf\n');
    const engine = new EngineFake();
    const buf = await archiveOf(tree, '/srv');
    engine.archives.set('/srv', () => chunkedStream(buf));
    const snap = await takeSnapshot(engine, 'c0ffee', changes, none);
    expect(engine.callsTo('getArchive')).toEqual([['c0ffee', '/srv']]);
    expect([...snap.listings.keys()]).toEqual(['/srv', '/srv/sub']);
    const whole = { changes, listings: new Map(['/srv', '/srv/sub'].map((d) => [d, listingOf(tree, d)])) };
    const empty = { changes: [], listings: new Map() };
    expect(harvest({ running: empty, stopped: snap, ignore: none })).toEqual(harvest({ running: empty, stopped: whole, ignore: none }));
  });
});
