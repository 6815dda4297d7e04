import { describe, expect, it } from 'vitest';
import { MAX_COVERS, MIN_SIZE_BYTES, canWrite, planMounts, sizeFor, smallest, type AnalyzeInput } from '../../../src/analyze/plan-mounts.js';
import type { DirFacts } from '../../../src/model/fs-facts.js';
import type { Finding, Mount } from '../../../src/model/mount-plan.js';
import type { WriteEvent } from '../../../src/model/write-event.js';
import { sampleDir, sampleEvent as ev, sampleImage, sampleShipped as shipped } from '../../helpers/samples.js';
import {
  apache2Scenario,
  busyboxScenario,
  configEditScenario,
  harvestScenario,
  nginxScenario,
  nonrootDirsScenario,
  redisScenario,
  sqliteAppScenario,
  type Scenario,
} from '../../helpers/scenarios.js';

const MiB = 1024 * 1024;

function input(o: { events: WriteEvent[]; dirs?: DirFacts[]; userMounts?: string[]; volumes?: string[]; persist?: string[]; ephemeral?: string[]; state?: Record<string, string[]> }): AnalyzeInput {
  return {
    image: sampleImage({ volumes: o.volumes ?? [] }),
    events: o.events,
    fs: { dirs: o.dirs ?? [], symlinks: [] },
    userMounts: o.userMounts ?? [],
    ...(o.persist ? { persist: o.persist } : {}),
    ...(o.ephemeral ? { ephemeral: o.ephemeral } : {}),
    ...(o.state ? { state: o.state } : {}),
  };
}

/** The captured diffs through harvest, then analyze: what a real run of the fixture image plans. */
function planScenario(s: Scenario, userMounts: string[] = []) {
  const h = harvestScenario(s);
  return planMounts({ image: s.image, events: h.events, fs: h.fs, userMounts });
}

const summary = (fs: readonly Finding[]) => fs.map((f) => `${f.severity} ${f.kind} ${f.path}`);

describe('sizeFor', () => {
  it.each([
    [0, 64 * MiB],
    [16 * MiB, 64 * MiB],
    [16 * MiB + 1, 65 * MiB],
    [17 * MiB, 68 * MiB],
    [1000 * MiB, 4000 * MiB],
  ])('sizes a tmpfs for %i observed bytes at %i bytes', (observed, size) => {
    expect(sizeFor(observed)).toBe(size);
  });

  it('never proposes less than the minimum', () => {
    expect(MIN_SIZE_BYTES).toBe(64 * MiB);
  });

  it('takes a smaller floor (--limits strict) and still 4 × what was written above it', () => {
    expect(sizeFor(540, 8 * MiB)).toBe(8 * MiB);
    expect(sizeFor(3 * MiB, 8 * MiB)).toBe(12 * MiB);
  });

  it('planMounts sizes every tmpfs with the floor it is given', () => {
    const events: WriteEvent[] = [{ path: '/run/app.pid', realPath: '/run/app.pid', op: 'add', source: 'diff', type: 'file', size: 6 }];
    expect(planMounts(input({ events })).plan.mounts[0]?.sizeBytes).toBe(64 * MiB);
    expect(planMounts({ ...input({ events }), minTmpfsBytes: 8 * MiB }).plan.mounts[0]?.sizeBytes).toBe(8 * MiB);
  });
});

describe('canWrite', () => {
  it.each([
    ['root, whatever the mode', true, 0, 0, 1000, 1000, 0o500],
    ['the owner of a 0755 directory', true, 33, 33, 33, 0, 0o755],
    ['the owner of a 0555 directory', false, 33, 33, 33, 0, 0o555],
    ['the group of a 0775 directory', true, 33, 4, 0, 4, 0o775],
    ['the group of a 0755 directory', false, 33, 4, 0, 4, 0o755],
    ['anyone in a 0777 directory', true, 1000, 1000, 0, 0, 0o777],
    ['anyone in a 1777 directory', true, 1000, 1000, 0, 0, 0o1777],
    ['anyone in a 0775 directory', false, 1000, 1000, 0, 0, 0o775],
  ])('says whether %s may write (%s)', (_who, expected, uid, gid, dirUid, dirGid, mode) => {
    expect(canWrite(uid, gid, dirUid, dirGid, mode)).toBe(expected);
  });
});

describe('smallest', () => {
  it.each<[string[], number, string[]]>([
    [['/c', '/a', '/b'], 2, ['/a', '/b']],
    [['/b', '/a'], 5, ['/a', '/b']],
    [[], 3, []],
    [['/z', '/y', '/x', '/w'], 1, ['/w']],
  ])('keeps the n smallest of %j (n = %i), sorted', (xs, n, expected) => {
    expect(smallest(xs, n)).toEqual(expected);
  });
});

describe('planMounts on the captured fixture images', () => {
  it('plans /run, /var/lib/nginx (widened from the temp dirs) and /var/log/nginx for Debian nginx', () => {
    const { plan, findings } = planScenario(nginxScenario());
    expect(plan.mounts).toEqual<Mount[]>([
      {
        path: '/run',
        kind: 'tmpfs',
        uid: 0,
        gid: 0,
        mode: 0o755,
        exec: false,
        sizeBytes: 64 * MiB,
        covers: ['/run/nginx.pid'],
        coversCount: 1,
        observedBytes: 2,
        reasons: ['the app wrote here (add 1, delete 1; 2 bytes observed)', 'created and removed during the run: /run/nginx.pid', 'seen by: diff'],
        hides: ['lock', 'mount'],
      },
      {
        path: '/var/lib/nginx',
        kind: 'tmpfs',
        // root:root 0755 as shipped; the temp dirs belong to www-data, which could not create them there.
        uid: 33,
        gid: 0,
        mode: 0o755,
        exec: false,
        sizeBytes: 64 * MiB,
        covers: ['/var/lib/nginx/body', '/var/lib/nginx/fastcgi', '/var/lib/nginx/proxy', '/var/lib/nginx/scgi', '/var/lib/nginx/uwsgi'],
        coversCount: 5,
        observedBytes: 0,
        reasons: [
          'the app wrote here (add 5; 0 bytes observed)',
          'widened from /var/lib/nginx/body, /var/lib/nginx/fastcgi, /var/lib/nginx/proxy, /var/lib/nginx/scgi, /var/lib/nginx/uwsgi: /var/lib/nginx ships nothing a mount could hide',
          'seen by: diff',
        ],
        hides: [],
      },
      {
        path: '/var/log/nginx',
        kind: 'tmpfs',
        uid: 33,
        gid: 4,
        mode: 0o755,
        exec: false,
        sizeBytes: 64 * MiB,
        covers: ['/var/log/nginx/access.log'],
        coversCount: 1,
        observedBytes: 93,
        reasons: ['the app wrote here (modify 1; 93 bytes observed)', 'seen by: diff'],
        // Empty log files: placeholders, not content, so a tmpfs and no seeding.
        hides: ['access.log', 'error.log'],
      },
    ]);
    expect(summary(findings)).toEqual([
      'warning hidden-symlink-target /run/lock',
      'info log-file /var/log/nginx',
      'info shadowed-content /run',
      'info shadowed-content /var/log/nginx',
      'info symlink-alias /var/lock',
      'info symlink-alias /var/run',
    ]);
    expect(findings[0]).toEqual<Finding>({
      kind: 'hidden-symlink-target',
      severity: 'warning',
      path: '/run/lock',
      message: 'the mount on /run hides /run/lock, the target of /var/lock; anything the app writes through /var/lock fails unless it creates /run/lock itself',
      evidence: ['/var/lock -> /run/lock'],
    });
  });

  it('plans /run/apache2 and /run/lock for Debian apache2, never /run, which would hide /run/lock', () => {
    const { plan, findings } = planScenario(apache2Scenario());
    expect(plan.mounts.map((m) => [m.path, m.kind, m.created ?? false, m.uid, m.gid, m.mode, m.covers, m.hides])).toEqual([
      // Created by apache2ctl: the runtime creates the mount point and /run keeps lock/ and mount/.
      ['/run/apache2', 'tmpfs', true, 0, 0, 0o755, ['/run/apache2', '/run/apache2/apache2.pid', '/run/apache2/socks'], []],
      // /run/lock ships nothing, so the created /run/lock/apache2 widens to it (sticky, as shipped).
      ['/run/lock', 'tmpfs', false, 0, 0, 0o1777, ['/run/lock/apache2'], []],
      ['/var/log/apache2', 'tmpfs', false, 0, 4, 0o750, ['/var/log/apache2/access.log', '/var/log/apache2/error.log'], ['access.log', 'error.log', 'other_vhosts_access.log']],
    ]);
    expect(plan.mounts[1]?.reasons).toContain('widened from /run/lock/apache2: /run/lock ships nothing a mount could hide');
    expect(summary(findings)).toEqual([
      'info log-file /var/log/apache2',
      'info shadowed-content /var/log/apache2',
      'info symlink-alias /var/lock',
      'info symlink-alias /var/run',
    ]);
  });

  it('plans /run/app and /var/log/app owned by uid 1000 for the busybox app', () => {
    const { plan, findings } = planScenario(busyboxScenario());
    expect(plan.mounts.map((m) => [m.path, m.kind, m.uid, m.gid, m.mode, m.exec, m.sizeBytes, m.covers, m.hides])).toEqual([
      ['/run/app', 'tmpfs', 1000, 1000, 0o755, false, 64 * MiB, ['/run/app/app.pid'], []],
      ['/var/log/app', 'tmpfs', 1000, 1000, 0o755, false, 64 * MiB, ['/var/log/app/app.log'], []],
    ]);
    expect(summary(findings)).toEqual(['info log-file /var/log/app', 'info symlink-alias /var/run']);
  });

  it('makes /var/lib/redis a named volume for Debian redis: dump.rdb starts with the REDIS header', () => {
    const { plan, findings } = planScenario(redisScenario());
    expect(plan.mounts).toEqual<Mount[]>([
      {
        path: '/var/lib/redis',
        kind: 'volume',
        volumeName: 'redis-var-lib-redis-09be9d',
        uid: 100,
        gid: 101,
        mode: 0o750,
        exec: false,
        sizeBytes: 64 * MiB,
        covers: ['/var/lib/redis/dump.rdb'],
        coversCount: 1,
        observedBytes: 88,
        reasons: ['the app wrote here (add 1; 88 bytes observed)', 'seen by: diff'],
        hides: [],
      },
    ]);
    expect(findings).toEqual<Finding[]>([
      {
        kind: 'persistent-data',
        severity: 'warning',
        path: '/var/lib/redis',
        message:
          '/var/lib/redis holds what looks like data that must outlive the container, outside any VOLUME: it becomes the named volume "redis-var-lib-redis-09be9d", not a tmpfs (use --ephemeral /var/lib/redis if it is really a cache)',
        evidence: ['/var/lib/redis/dump.rdb is a redis-rdb file (by its content header)'],
      },
    ]);
  });

  it('seeds /etc/app for the config-edit app: it edits httpd.conf and reads defaults.env', () => {
    const { plan, findings } = planScenario(configEditScenario());
    expect(plan.mounts.map((m) => [m.path, m.kind, m.volumeName, m.uid, m.gid, m.mode, m.covers, m.hides])).toEqual([
      ['/etc/app', 'seeded', 'config-edit-etc-app-582062', 1000, 1000, 0o755, ['/etc/app/httpd.conf'], ['defaults.env', 'httpd.conf']],
    ]);
    expect(summary(findings)).toEqual(['warning modified-shipped-file /etc/app', 'warning seeded-content /etc/app']);
    expect(findings.map((f) => f.evidence)).toEqual([['/etc/app/httpd.conf'], ['/etc/app/defaults.env', '/etc/app/httpd.conf']]);
  });

  it('keeps the shipped owners of /tmp and /srv/uploads for the non-root app, which may write there through their modes', () => {
    const { plan, findings } = planScenario(nonrootDirsScenario());
    expect(plan.mounts.map((m) => [m.path, m.kind, m.uid, m.gid, m.mode, m.covers])).toEqual([
      ['/srv/uploads', 'tmpfs', 0, 1000, 0o775, ['/srv/uploads/first-upload.txt']],
      ['/tmp', 'tmpfs', 0, 0, 0o1777, ['/tmp/nonroot-dirs.started']],
    ]);
    expect(findings).toEqual([]);
  });

  it('makes /var/lib/app a named volume owned 999:999 for the SQLite app', () => {
    const { plan, findings } = planScenario(sqliteAppScenario());
    expect(plan.mounts.map((m) => [m.path, m.kind, m.volumeName, m.uid, m.gid, m.mode, m.covers])).toEqual([
      ['/var/lib/app', 'volume', 'sqlite-app-var-lib-app-38219d', 999, 999, 0o750, ['/var/lib/app/app.db']],
    ]);
    expect(findings.map((f) => [f.kind, f.evidence])).toEqual([['persistent-data', ['/var/lib/app/app.db is a sqlite file (by its content header)']]]);
  });

  it('leaves writes under the user’s own mount to that mount', () => {
    const { plan, findings } = planScenario(redisScenario(), ['/var/lib/redis']);
    expect(plan.mounts).toEqual([]);
    expect(findings).toEqual<Finding[]>([
      { kind: 'user-mount', severity: 'info', path: '/var/lib/redis', message: '1 write under your own mount /var/lib/redis: covered by it', evidence: ['/var/lib/redis/dump.rdb'] },
    ]);
  });
});

describe('planMounts ownership', () => {
  it.each<[string, AnalyzeInput, [string, number, number, number][]]>([
    [
      'keeps the shipped owner when the writer could already write there',
      input({ events: [ev('add', '/srv/cache/x', { type: 'file', uid: 33, gid: 33, size: 10 })], dirs: [sampleDir('/srv/cache', { gid: 33, mode: 0o775 })] }),
      [['/srv/cache', 0, 33, 0o775]],
    ],
    [
      'gives the mount to the writer when the shipped directory would refuse it',
      input({ events: [ev('add', '/srv/cache/x', { type: 'file', uid: 33, gid: 33, size: 10 })], dirs: [sampleDir('/srv/cache')] }),
      [['/srv/cache', 33, 33, 0o755]],
    ],
    [
      'picks the most common owner among the writes',
      input({
        events: [ev('add', '/srv/a', { type: 'file', uid: 1000, gid: 1000 }), ev('add', '/srv/b', { type: 'file', uid: 1000, gid: 1000 }), ev('add', '/srv/c', { type: 'file', uid: 2000, gid: 2000 })],
        dirs: [sampleDir('/srv')],
      }),
      [['/srv', 1000, 1000, 0o755]],
    ],
    [
      'keeps the owner and mode the app gave a directory it created',
      input({
        events: [ev('add', '/srv/app/state', { type: 'dir', uid: 1000, gid: 1000, mode: 0o700 })],
        dirs: [sampleDir('/srv/app', { shipped: [shipped('README', 'file', { size: 10 })] }), sampleDir('/srv/app/state', { created: true, uid: 1000, gid: 1000, mode: 0o700 })],
      }),
      [['/srv/app/state', 1000, 1000, 0o700]],
    ],
    ['falls back to root 0755 for a directory it knows nothing about', input({ events: [ev('add', '/opt/state/db', { type: 'file' })] }), [['/opt/state', 0, 0, 0o755]]],
  ])('%s', (_name, analyzeInput, expected) => {
    expect(planMounts(analyzeInput).plan.mounts.map((m) => [m.path, m.uid, m.gid, m.mode])).toEqual(expected);
  });
});

describe('planMounts: mounts named through the image\'s links', () => {
  const links = { dirs: [sampleDir('/run', {})], symlinks: [{ path: '/var/run', target: '/run' }] };
  it('a user mount on /var/run/app covers the writes under /run/app, and no second mount is planned there', () => {
    const { plan, findings } = planMounts({
      ...input({ events: [ev('add', '/run/app/state', { type: 'file' })], userMounts: ['/var/run/app'] }),
      fs: links,
    });
    expect(plan.mounts).toEqual([]);
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'user-mount', path: '/var/run/app', message: '1 write under your own mount /var/run/app (/run/app in the image: /var/run/app leads there through a symlink): covered by it' }));
  });

  it('a VOLUME declared through a link covers the writes where it leads', () => {
    const { plan } = planMounts({ ...input({ events: [ev('add', '/run/app/state', { type: 'file' })], volumes: ['/var/run/app'] }), fs: links });
    expect(plan.mounts.map((m) => [m.path, m.kind])).toEqual([['/var/run/app', 'volume']]);
  });
});

describe('planMounts kinds', () => {
  const dir = (more: Partial<DirFacts> = {}) => sampleDir('/srv/app', more);
  it.each<[string, WriteEvent[], Partial<DirFacts>, Mount['kind'], Partial<AnalyzeInput>?]>([
    ['a tmpfs for plain writes into a directory that ships nothing', [ev('add', '/srv/app/x', { type: 'file', size: 5 })], {}, 'tmpfs'],
    ['a volume for a file whose header says sqlite', [ev('add', '/srv/app/store', { type: 'file', format: 'sqlite' })], {}, 'volume'],
    ['a volume for a redis dump by its header', [ev('add', '/srv/app/dump', { type: 'file', format: 'redis-rdb' })], {}, 'volume'],
    ['a volume for a file named like a database', [ev('add', '/srv/app/app.sqlite3', { type: 'file' })], {}, 'volume'],
    ['a volume for a write-ahead log', [ev('add', '/srv/app/app.db-wal', { type: 'file' })], {}, 'volume'],
    ['a tmpfs for a gzip file: a format, not data', [ev('add', '/srv/app/x.gz', { type: 'file', format: 'gzip' })], {}, 'tmpfs'],
    ['a tmpfs for a deleted database file', [ev('delete', '/srv/app/old.db', { type: 'file' })], {}, 'tmpfs'],
    ['a seeded volume over a shipped symlink', [ev('add', '/srv/app/x', { type: 'file' })], { shipped: [shipped('current', 'symlink', { linkTarget: '/srv/v1' })] }, 'seeded'],
    ['a seeded volume over a shipped non-empty directory', [ev('add', '/srv/app/x', { type: 'file' })], { shipped: [shipped('conf.d', 'dir', { empty: false })] }, 'seeded'],
    ['a tmpfs over a shipped empty directory', [ev('add', '/srv/app/x', { type: 'file' })], { shipped: [shipped('conf.d', 'dir')] }, 'tmpfs'],
    ['a seeded volume over a shipped file with content the app did not write', [ev('add', '/srv/app/x', { type: 'file' })], { shipped: [shipped('app.conf', 'file', { size: 300 })] }, 'seeded'],
    ['a tmpfs over a shipped empty file', [ev('add', '/srv/app/x', { type: 'file' })], { shipped: [shipped('app.conf')] }, 'tmpfs'],
    ['a seeded volume over a config file the app edits', [ev('modify', '/srv/app/app.conf', { type: 'file', size: 300 })], { shipped: [shipped('app.conf', 'file', { size: 280 })] }, 'seeded'],
    ['a tmpfs over a log file the app appends to', [ev('modify', '/srv/app/app.log', { type: 'file', size: 300 })], { shipped: [shipped('app.log', 'file', { size: 280 })] }, 'tmpfs'],
    ['a volume for --persist, even with nothing that looks like data', [ev('add', '/srv/app/x', { type: 'file' })], {}, 'volume', { persist: ['/srv/app'] }],
    ['a tmpfs for --ephemeral, even for a database', [ev('add', '/srv/app/app.db', { type: 'file', format: 'sqlite' })], {}, 'tmpfs', { ephemeral: ['/srv'] }],
    ['a volume where the restart check saw state taken up again', [ev('add', '/srv/app/seg-1.dat', { type: 'file' })], {}, 'volume', { state: { '/srv/app': ['/srv/app/seg-1.dat was appended to on the second start'] } }],
    ['a tmpfs for --ephemeral, even where the restart check saw state', [ev('add', '/srv/app/seg-1.dat', { type: 'file' })], {}, 'tmpfs', { ephemeral: ['/srv/app'], state: { '/srv/app': ['x'] } }],
    ['a tmpfs for --ephemeral, even over content', [ev('add', '/srv/app/x', { type: 'file' })], { shipped: [shipped('app.conf', 'file', { size: 300 })] }, 'tmpfs', { ephemeral: ['/srv/app'] }],
  ])('chooses %s', (_name, events, facts, kind, more = {}) => {
    const { plan } = planMounts({ ...input({ events, dirs: [dir(facts)] }), ...more });
    expect(plan.mounts.map((m) => [m.path, m.kind])).toEqual([['/srv/app', kind]]);
    expect(plan.mounts[0]?.volumeName !== undefined).toBe(kind !== 'tmpfs');
  });

  it('says why state taken up again across a restart is a named volume, with the check\'s evidence', () => {
    const evidence = ['/srv/app/seg-1.dat was appended to on the second start (10 → 20 bytes, its first bytes unchanged), not rewritten'];
    const { plan, findings } = planMounts(input({ events: [ev('add', '/srv/app/seg-1.dat', { type: 'file' })], dirs: [dir()], state: { '/srv/app': evidence } }));
    expect(plan.mounts[0]?.reasons).toContain('the app takes up what it left here when it starts again (restart check): kept on a named volume');
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'persistent-data',
        path: '/srv/app',
        message: expect.stringMatching(/^\/srv\/app holds state the app takes up again when it starts next \(a restart of the writable run showed it\), outside any VOLUME: .*--ephemeral \/srv\/app/),
        evidence,
      }),
    ]);
  });

  it('makes a named volume of --persist even where nothing was written', () => {
    const { plan } = planMounts(input({ events: [], dirs: [sampleDir('/srv/data', { uid: 1000, gid: 1000 })], persist: ['/srv/data'] }));
    expect(plan.mounts.map((m) => [m.path, m.kind, m.uid, m.coversCount, m.reasons])).toEqual([['/srv/data', 'volume', 1000, 0, ['--persist /srv/data: kept on a named volume']]]);
  });

  it('says what --ephemeral hides when it keeps content on a tmpfs', () => {
    const { findings } = planMounts(input({ events: [ev('add', '/srv/app/x', { type: 'file' })], dirs: [dir({ shipped: [shipped('app.conf', 'file', { size: 300 })] })], ephemeral: ['/srv/app'] }));
    expect(findings).toEqual<Finding[]>([
      {
        kind: 'shadowed-content',
        severity: 'warning',
        path: '/srv/app',
        message: '--ephemeral keeps /srv/app on a tmpfs, which hides 1 shipped entry with content the app may read',
        evidence: ['/srv/app/app.conf'],
      },
    ]);
  });

  it('warns that a new named volume on a directory the image lacks starts root-owned', () => {
    const events = [ev('add', '/srv/new', { type: 'dir', uid: 1000, gid: 1000, mode: 0o750 }), ev('add', '/srv/new/app.db', { type: 'file', uid: 1000, gid: 1000 })];
    const { plan, findings } = planMounts(input({ events, dirs: [sampleDir('/srv', { shipped: [shipped('www', 'dir', { empty: false })] }), sampleDir('/srv/new', { created: true, uid: 1000, gid: 1000, mode: 0o750 })] }));
    expect(plan.mounts.map((m) => [m.path, m.kind, m.created])).toEqual([['/srv/new', 'volume', true]]);
    expect(summary(findings)).toEqual(['warning persistent-data /srv/new', 'warning volume-owner /srv/new']);
  });
});

describe('planMounts rules', () => {
  it.each<[string, boolean, WriteEvent[]]>([
    ['a created executable file', true, [ev('add', '/srv/bin/tool', { type: 'file', mode: 0o755 })]],
    ['an exec event', true, [ev('add', '/srv/bin/data', { type: 'file', mode: 0o644 }), ev('exec', '/srv/bin/tool', { type: 'file' })]],
    ['a created data file', false, [ev('add', '/srv/bin/data', { type: 'file', mode: 0o644 })]],
    ['a deleted executable', false, [ev('delete', '/srv/bin/tool', { type: 'file', mode: 0o755 })]],
    ['a created directory with an x bit', false, [ev('add', '/srv/bin/sub', { type: 'dir', mode: 0o755 })]],
  ])('decides exec for %s: %s', (_name, exec, events) => {
    const { plan } = planMounts(input({ events, dirs: [sampleDir('/srv/bin', { shipped: [shipped('x')] })] }));
    expect(plan.mounts.map((m) => m.exec)).toEqual([exec]);
  });

  it('sizes the mount from the bytes of the files written there', () => {
    const events = [ev('add', '/srv/a', { type: 'file', size: 10 * MiB }), ev('modify', '/srv/b', { type: 'file', size: 7 * MiB }), ev('delete', '/srv/c', { type: 'file', size: 100 * MiB })];
    const [mount] = planMounts(input({ events, dirs: [sampleDir('/srv')] })).plan.mounts;
    expect([mount?.sizeBytes, mount?.observedBytes]).toEqual([68 * MiB, 17 * MiB]);
    expect(mount?.reasons).toEqual([`the app wrote here (add 1, delete 1, modify 1; ${17 * MiB} bytes observed)`, 'seen by: diff']);
  });

  it('lists the first 100 paths in covers and counts them all', () => {
    const events = Array.from({ length: 150 }, (_, i) => ev('add', `/srv/f${String(i).padStart(3, '0')}`, { type: 'file' }));
    const [mount] = planMounts(input({ events: events.reverse() })).plan.mounts;
    expect(mount?.covers).toHaveLength(MAX_COVERS);
    expect([mount?.covers[0], mount?.covers.at(-1), mount?.coversCount]).toEqual(['/srv/f000', '/srv/f099', 150]);
  });

  it('reports a write straight into a system tree as an error finding, never a mount', () => {
    const { plan, findings } = planMounts(input({ events: [ev('add', '/var/app.lock', { type: 'file' })] }));
    expect(plan.mounts).toEqual([]);
    expect(findings).toEqual<Finding[]>([
      {
        kind: 'system-write',
        severity: 'error',
        path: '/var',
        message: 'the app writes straight into /var, a system tree that cannot become a mount; change the app (or its configuration) to write into a directory of its own, then profile again',
        evidence: ['add /var/app.lock'],
      },
    ]);
  });

  it('still mounts a directory below a system tree the app also writes straight into', () => {
    const events = [ev('add', '/var/app.lock', { type: 'file' }), ev('add', '/var/lib/nginx/body', { type: 'dir', uid: 33, gid: 0 })];
    const { plan, findings } = planMounts(input({ events, dirs: [sampleDir('/var/lib/nginx', { uid: 33 })] }));
    expect(plan.mounts.map((m) => [m.path, m.covers])).toEqual([['/var/lib/nginx', ['/var/lib/nginx/body']]]);
    expect(findings.filter((f) => f.kind === 'system-write').map((f) => [f.path, f.evidence])).toEqual([['/var', ['add /var/app.lock']]]);
  });

  it('still mounts the other directories when the app writes a file at the root', () => {
    const { plan, findings } = planMounts(input({ events: [ev('add', '/app.lock', { type: 'file' }), ev('add', '/run/app/app.pid', { type: 'file' })] }));
    expect(plan.mounts.map((m) => m.path)).toEqual(['/run/app']);
    expect(findings.map((f) => [f.kind, f.path, f.evidence])).toEqual([['system-write', '/', ['add /app.lock']]]);
  });

  it('names a declared volume nothing was written into, and leaves it to Docker', () => {
    const { plan, findings } = planMounts(input({ events: [], volumes: ['/data'] }));
    expect(plan.mounts).toEqual([]);
    expect(findings).toEqual<Finding[]>([
      {
        kind: 'declared-volume',
        severity: 'info',
        path: '/data',
        message: 'the image declares VOLUME /data; nothing was written there during the profile, and Docker keeps it writable (an anonymous volume) even under --read-only',
        evidence: [],
      },
    ]);
  });

  it('makes a declared volume the app wrote into an explicit named volume', () => {
    const events = [ev('add', '/data/db', { type: 'dir', source: 'volume' }), ev('add', '/data/db/wal', { type: 'file', source: 'volume', size: 100 })];
    const { plan, findings } = planMounts(input({ events, volumes: ['/data'], dirs: [sampleDir('/data', { uid: 999, gid: 999, mode: 0o700 })] }));
    expect(plan.mounts).toEqual<Mount[]>([
      {
        path: '/data',
        kind: 'volume',
        volumeName: 'app-data-49f653',
        uid: 999,
        gid: 999,
        mode: 0o700,
        exec: false,
        sizeBytes: 64 * MiB,
        covers: ['/data/db', '/data/db/wal'],
        coversCount: 2,
        observedBytes: 100,
        reasons: ['the image declares VOLUME /data, and the app wrote there (2 entries, 100 bytes)'],
        hides: [],
      },
    ]);
    expect(findings.map((f) => [f.kind, f.message, f.evidence])).toEqual([
      [
        'declared-volume',
        'the image declares VOLUME /data and the app wrote 2 entries there: it becomes an explicit named volume, so the data survives a new container',
        ['/data/db', '/data/db/wal'],
      ],
    ]);
  });

  it.each([
    ['a file written under /var/log', ev('add', '/var/log/app/app.log', { type: 'file' }), ['/var/log/app/app.log']],
    ['a .log file written anywhere', ev('open-write', '/srv/out.log', { type: 'file', source: 'strace' }), ['/srv/out.log']],
    ['a deleted log file', ev('delete', '/srv/out.log', { type: 'file' }), []],
    ['a new log directory', ev('add', '/var/log/app', { type: 'dir' }), []],
  ])('gives %s a log-file finding with it as evidence (%j)', (_name, event, evidence) => {
    const { findings } = planMounts(input({ events: [event] }));
    expect(findings.filter((f) => f.kind === 'log-file').flatMap((f) => f.evidence)).toEqual(evidence);
  });

  it('says "entry" for one shadowed entry', () => {
    const { findings } = planMounts(input({ events: [ev('add', '/srv/x', { type: 'file' })], dirs: [sampleDir('/srv', { shipped: [shipped('README')] })] }));
    expect(findings.map((f) => f.message)).toEqual(['the mount on /srv hides 1 shipped entry without content of their own (empty files and directories, or files the app rewrites)']);
  });

  it('keeps a shipped directory hidden by an outer mount with a nested mount, and says why', () => {
    const events = [ev('add', '/run/app.pid', { type: 'file' }), ev('add', '/run/lock/app', { type: 'dir' })];
    const { plan } = planMounts(input({ events, dirs: [sampleDir('/run', { shipped: [shipped('lock', 'dir', { mode: 0o1777 })] }), sampleDir('/run/lock', { mode: 0o1777 })] }));
    expect(plan.mounts.map((m) => [m.path, m.mode, m.covers])).toEqual([
      ['/run', 0o755, ['/run/app.pid']],
      ['/run/lock', 0o1777, ['/run/lock/app']],
    ]);
    expect(plan.mounts[1]?.reasons).toEqual(['the app wrote here (add 1; 0 bytes observed)', '/run/lock ships in the image inside the mount on /run, which would hide it; this mount keeps it', 'seen by: diff']);
  });

  it('plans nothing for no events', () => {
    expect(planMounts(input({ events: [] }))).toEqual({ plan: { mounts: [] }, findings: [] });
  });
});
