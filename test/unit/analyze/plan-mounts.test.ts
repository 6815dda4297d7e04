import fc from 'fast-check';
import { sampleImage } from '../../helpers/samples.js';
import { describe, expect, it } from 'vitest';
import { SYSTEM_TREES } from '../../../src/analyze/paths.js';
import { MIN_SIZE_BYTES, canWrite, planMounts, sizeFor, writeDirOf, type AnalyzeInput } from '../../../src/analyze/plan-mounts.js';
import { harvest } from '../../../src/harvest/harvest.js';
import type { DirFacts } from '../../../src/model/fs-facts.js';
import type { ImageFacts } from '../../../src/model/image-facts.js';
import type { Finding, Mount } from '../../../src/model/mount-plan.js';
import { WRITE_OPS, type EntryType, type WriteEvent } from '../../../src/model/write-event.js';
import { busyboxScenario, nginxScenario, redisScenario, snapshotOf, type Scenario } from '../../helpers/scenarios.js';

const MiB = 1024 * 1024;

const IMAGE: ImageFacts = sampleImage();

function ev(op: WriteEvent['op'], path: string, more: Partial<Omit<WriteEvent, 'op' | 'path' | 'realPath'>> = {}): WriteEvent {
  return { path, realPath: path, op, source: 'diff', ...more };
}

function facts(path: string, uid: number, gid: number, mode: number, shipped: string[] = []): DirFacts {
  return { path, exists: true, type: 'dir', uid, gid, mode, shipped };
}

function input(o: { events: WriteEvent[]; dirs?: DirFacts[]; userMounts?: string[]; volumes?: string[] }): AnalyzeInput {
  return {
    image: { ...IMAGE, volumes: o.volumes ?? [] },
    events: o.events,
    fs: { dirs: o.dirs ?? [] },
    userMounts: o.userMounts ?? [],
  };
}

/** The captured diffs through harvest, then analyze: what a real run of the fixture image plans. */
function planScenario(s: Scenario, userMounts: string[] = []) {
  const h = harvest({ running: snapshotOf(s.running, s.treeRunning), stopped: snapshotOf(s.stopped, s.treeStopped), ignore: () => false });
  return planMounts({ image: s.image, events: h.events, fs: h.fs, userMounts });
}

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

describe('writeDirOf', () => {
  it.each<[string, WriteEvent, string[], string]>([
    ['a file created in a shipped directory needs that directory', ev('add', '/run/app/app.pid', { type: 'file' }), [], '/run/app'],
    ['created directories need the parent of the topmost one', ev('add', '/data/a/b/c', { type: 'file' }), ['/data/a', '/data/a/b'], '/data'],
    ['a file created under a created directory climbs to the shipped parent', ev('add', '/var/lib/nginx/body/0001', { type: 'file' }), ['/var/lib/nginx/body'], '/var/lib/nginx'],
    ['a modified file needs its directory', ev('modify', '/var/log/nginx/access.log', { type: 'file' }), [], '/var/log/nginx'],
    ['a deleted file needs its directory', ev('delete', '/tmp/x', { type: 'file' }), [], '/tmp'],
    ['a modified directory with nothing changed below needs itself', ev('modify', '/var/cache/app', { type: 'dir' }), [], '/var/cache/app'],
  ])('knows that %s', (_name, event, addedDirs, expected) => {
    const added = new Set([...addedDirs, ...(event.op === 'add' ? [event.realPath] : [])]);
    expect(writeDirOf(event, added, [event.realPath, ...addedDirs])).toBe(expected);
  });

  it('treats a modified directory with a changed child like any other change', () => {
    const e = ev('modify', '/var/cache/app', { type: 'dir' });
    expect(writeDirOf(e, new Set(), ['/var/cache/app', '/var/cache/app/index'])).toBe('/var/cache');
  });
});

describe('planMounts on the captured fixture images', () => {
  it('plans /run, /var/lib/nginx and /var/log/nginx for Debian nginx', () => {
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
        reasons: ['the app wrote here (add 1, delete 1; 2 bytes observed)', 'created and removed during the run: /run/nginx.pid'],
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
        reasons: ['the app wrote here (add 5; 0 bytes observed)'],
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
        reasons: ['the app wrote here (modify 1; 93 bytes observed)'],
        hides: ['access.log', 'error.log'],
      },
    ]);
    expect(findings).toEqual<Finding[]>([
      {
        kind: 'log-file',
        severity: 'info',
        path: '/var/log/nginx/access.log',
        message: 'the app logs to /var/log/nginx/access.log; consider sending it to stdout, or keep the mount',
        evidence: [],
      },
      {
        kind: 'shadowed-content',
        severity: 'warning',
        path: '/run',
        message: 'a mount on /run hides 2 entries the image ships there',
        evidence: ['lock', 'mount'],
      },
      {
        kind: 'shadowed-content',
        severity: 'warning',
        path: '/var/log/nginx',
        message: 'a mount on /var/log/nginx hides 2 entries the image ships there',
        evidence: ['access.log', 'error.log'],
      },
    ]);
  });

  it('plans /run/app and /var/log/app owned by uid 1000 for the busybox app', () => {
    const { plan, findings } = planScenario(busyboxScenario());
    expect(plan.mounts.map((m) => [m.path, m.uid, m.gid, m.mode, m.exec, m.sizeBytes, m.covers, m.hides])).toEqual([
      ['/run/app', 1000, 1000, 0o755, false, 64 * MiB, ['/run/app/app.pid'], []],
      ['/var/log/app', 1000, 1000, 0o755, false, 64 * MiB, ['/var/log/app/app.log'], []],
    ]);
    expect(findings.map((f) => `${f.kind} ${f.path}`)).toEqual(['log-file /var/log/app/app.log']);
  });

  it('plans /var/lib/redis as redis:redis 0750 for redis', () => {
    const { plan, findings } = planScenario(redisScenario());
    expect(plan.mounts).toEqual<Mount[]>([
      {
        path: '/var/lib/redis',
        kind: 'tmpfs',
        uid: 100,
        gid: 101,
        mode: 0o750,
        exec: false,
        sizeBytes: 64 * MiB,
        covers: ['/var/lib/redis/dump.rdb'],
        reasons: ['the app wrote here (add 1; 88 bytes observed)'],
        hides: [],
      },
    ]);
    expect(findings).toEqual([]);
  });

  it('leaves writes under the user’s own mount to that mount', () => {
    const { plan } = planScenario(redisScenario(), ['/var/lib/redis']);
    expect(plan.mounts).toEqual([]);
  });
});

describe('planMounts rules', () => {
  it.each<[string, AnalyzeInput, [string, number, number, number][]]>([
    [
      'keeps the shipped owner when the writer could already write there',
      input({ events: [ev('add', '/srv/cache/x', { type: 'file', uid: 33, gid: 33, size: 10 })], dirs: [facts('/srv/cache', 0, 33, 0o775)] }),
      [['/srv/cache', 0, 33, 0o775]],
    ],
    [
      'gives the mount to the writer when the shipped directory would refuse it',
      input({ events: [ev('add', '/srv/cache/x', { type: 'file', uid: 33, gid: 33, size: 10 })], dirs: [facts('/srv/cache', 0, 0, 0o755)] }),
      [['/srv/cache', 33, 33, 0o755]],
    ],
    [
      'picks the most common owner among the writes',
      input({
        events: [
          ev('add', '/srv/a', { type: 'file', uid: 1000, gid: 1000 }),
          ev('add', '/srv/b', { type: 'file', uid: 1000, gid: 1000 }),
          ev('add', '/srv/c', { type: 'file', uid: 2000, gid: 2000 }),
        ],
        dirs: [facts('/srv', 0, 0, 0o755)],
      }),
      [['/srv', 1000, 1000, 0o755]],
    ],
    [
      'falls back to root 0755 for a directory it knows nothing about',
      input({ events: [ev('add', '/opt/state/db', { type: 'file' })] }),
      [['/opt/state', 0, 0, 0o755]],
    ],
    [
      'serves a nested write directory from the outer mount',
      input({
        events: [ev('add', '/srv/x', { type: 'file' }), ev('add', '/srv/sub/y', { type: 'file' })],
        dirs: [facts('/srv', 0, 0, 0o755), facts('/srv/sub', 0, 0, 0o700)],
      }),
      [['/srv', 0, 0, 0o755]],
    ],
  ])('%s', (_name, analyzeInput, expected) => {
    expect(planMounts(analyzeInput).plan.mounts.map((m) => [m.path, m.uid, m.gid, m.mode])).toEqual(expected);
  });

  it.each<[string, boolean, WriteEvent[]]>([
    ['a created executable file', true, [ev('add', '/srv/bin/tool', { type: 'file', mode: 0o755 })]],
    ['an exec event', true, [ev('exec', '/srv/bin/tool', { type: 'file' })]],
    ['a created data file', false, [ev('add', '/srv/bin/data', { type: 'file', mode: 0o644 })]],
    ['a deleted executable', false, [ev('delete', '/srv/bin/tool', { type: 'file', mode: 0o755 })]],
    ['a created directory with an x bit', false, [ev('add', '/srv/bin/sub', { type: 'dir', mode: 0o755 })]],
  ])('decides exec for %s: %s', (_name, exec, events) => {
    const [mount] = planMounts(input({ events })).plan.mounts;
    expect(mount?.exec).toBe(exec);
  });

  it('sizes the mount from the bytes of the files written there', () => {
    const events = [ev('add', '/srv/a', { type: 'file', size: 10 * MiB }), ev('modify', '/srv/b', { type: 'file', size: 7 * MiB }), ev('delete', '/srv/c', { type: 'file', size: 100 * MiB })];
    const [mount] = planMounts(input({ events })).plan.mounts;
    expect(mount?.sizeBytes).toBe(68 * MiB);
    expect(mount?.reasons).toEqual([`the app wrote here (add 1, delete 1, modify 1; ${17 * MiB} bytes observed)`]);
  });

  it('reports a write straight into a system tree as a finding, never a mount', () => {
    const { plan, findings } = planMounts(input({ events: [ev('add', '/var/app.lock', { type: 'file' })] }));
    expect(plan.mounts).toEqual([]);
    expect(findings).toEqual([
      {
        kind: 'system-write',
        severity: 'error',
        path: '/var',
        message: 'the app writes straight into /var, a system tree that cannot become a mount; change the app to write elsewhere (or point the file at a writable directory)',
        evidence: ['add /var/app.lock'],
      },
    ]);
  });

  it('still mounts a directory below a system tree the app also writes straight into', () => {
    const events = [ev('add', '/var/app.lock', { type: 'file' }), ev('add', '/var/lib/nginx/body', { type: 'dir', uid: 33, gid: 0 })];
    const { plan, findings } = planMounts(input({ events, dirs: [facts('/var/lib/nginx', 33, 0, 0o755)] }));
    expect(plan.mounts.map((m) => [m.path, m.covers])).toEqual([['/var/lib/nginx', ['/var/lib/nginx/body']]]);
    expect(findings.filter((f) => f.kind === 'system-write').map((f) => [f.path, f.evidence])).toEqual([['/var', ['add /var/app.lock']]]);
  });

  it('still mounts the other directories when the app writes a file at the root', () => {
    const events = [ev('add', '/app.lock', { type: 'file' }), ev('add', '/run/app/app.pid', { type: 'file' })];
    const { plan, findings } = planMounts(input({ events }));
    expect(plan.mounts.map((m) => m.path)).toEqual(['/run/app']);
    expect(findings.map((f) => [f.kind, f.path, f.evidence])).toEqual([['system-write', '/', ['add /app.lock']]]);
  });

  it('names a declared volume and leaves the writes under it to the volume', () => {
    const { plan, findings } = planMounts(input({ events: [ev('add', '/data/db/wal', { type: 'file' })], volumes: ['/data'] }));
    expect(plan.mounts).toEqual([]);
    expect(findings).toEqual([
      {
        kind: 'declared-volume',
        severity: 'info',
        path: '/data',
        message: 'the image declares VOLUME /data; Docker keeps it writable as an anonymous volume even under --read-only',
        evidence: [],
      },
    ]);
  });

  it.each([
    ['a file written under /var/log', 'is', ev('add', '/var/log/app/app.log', { type: 'file' }), ['log-file /var/log/app/app.log']],
    ['a .log file written anywhere', 'is', ev('open-write', '/srv/out.log', { type: 'file' }), ['log-file /srv/out.log']],
    ['a deleted log file', 'is not', ev('delete', '/srv/out.log', { type: 'file' }), []],
    ['a new log directory', 'is not', ev('add', '/var/log/app', { type: 'dir' }), []],
  ])('%s %s a log-file finding', (_name, _is, event, expected) => {
    const { findings } = planMounts(input({ events: [event] }));
    expect(findings.filter((f) => f.kind === 'log-file').map((f) => `${f.kind} ${f.path}`)).toEqual(expected);
  });

  it('says "entry" for one shadowed entry', () => {
    const { findings } = planMounts(input({ events: [ev('add', '/srv/x', { type: 'file' })], dirs: [facts('/srv', 0, 0, 0o755, ['README'])] }));
    expect(findings.map((f) => f.message)).toEqual(['a mount on /srv hides 1 entry the image ships there']);
  });

  it('plans nothing for no events', () => {
    expect(planMounts(input({ events: [] }))).toEqual({ plan: { mounts: [] }, findings: [] });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over generated event sets. The expectations come from this small reference, written
// from the rules in DESIGN.md, not from the implementation's helpers.

function refParent(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function refUnder(p: string, dir: string): boolean {
  return dir === '/' || p === dir || p.startsWith(`${dir}/`);
}

/** The directory that must be writable for an event, given the other writes of the run. */
function refWriteDir(e: WriteEvent, writes: readonly WriteEvent[]): string {
  if (e.type === 'dir' && e.op === 'modify' && !writes.some((o) => o.realPath.startsWith(`${e.realPath}/`))) return e.realPath;
  const created = new Set(writes.filter((o) => o.op === 'add').map((o) => o.realPath));
  let top = e.realPath;
  while (refParent(top) !== '/' && created.has(refParent(top))) top = refParent(top);
  return refParent(top);
}

const SEGMENTS = ['var', 'lib', 'log', 'run', 'tmp', 'app', 'data', 'usr', 'etc', 'cache', 'nginx'] as const;
const pathArb = fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`);
const eventArb: fc.Arbitrary<WriteEvent> = fc
  .record({
    path: pathArb,
    op: fc.constantFrom(...WRITE_OPS),
    type: fc.option(fc.constantFrom<EntryType>('file', 'dir', 'symlink'), { nil: undefined }),
    owner: fc.option(fc.constantFrom([0, 0], [33, 4], [1000, 1000], [100, 101]), { nil: undefined }),
    mode: fc.option(fc.constantFrom(0o644, 0o755, 0o700, 0o600), { nil: undefined }),
    size: fc.option(fc.nat(50 * MiB), { nil: undefined }),
  })
  .map(({ path, op, type, owner, mode, size }) => ({
    path,
    realPath: path,
    op,
    source: 'diff' as const,
    ...(type !== undefined ? { type } : {}),
    ...(owner !== undefined ? { uid: owner[0]!, gid: owner[1]! } : {}),
    ...(mode !== undefined ? { mode } : {}),
    ...(size !== undefined ? { size } : {}),
  }));

const inputArb: fc.Arbitrary<AnalyzeInput> = fc
  .record({
    events: fc.array(eventArb, { maxLength: 30 }),
    userMounts: fc.subarray(['/data', '/var/lib/app', '/run', '/tmp/cache']),
    volumes: fc.subarray(['/data', '/var/cache', '/app/data']),
    dirs: fc.array(
      fc.record({ path: pathArb, uid: fc.constantFrom(0, 33, 1000), gid: fc.constantFrom(0, 4, 1000), mode: fc.constantFrom(0o755, 0o700, 0o1777), shipped: fc.subarray(['a', 'b', 'lock']) }),
      { maxLength: 6 },
    ),
  })
  .map(({ events, userMounts, volumes, dirs }) => ({
    image: { ...IMAGE, volumes },
    events,
    // One DirFacts per path, as harvest gives them.
    fs: { dirs: [...new Map(dirs.map((d) => [d.path, { ...d, exists: true, type: 'dir' as const }])).values()] },
    userMounts,
  }));

function coveredByUser(e: WriteEvent, i: AnalyzeInput): boolean {
  return [...i.userMounts, ...i.image.volumes].some((m) => refUnder(e.realPath, m));
}

describe('planMounts properties', () => {
  it('covers every write outside the user’s mounts by exactly one mount, or reports it as a system write', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const { plan, findings } = planMounts(i);
        const systemEvidence = new Set(findings.filter((f) => f.kind === 'system-write').flatMap((f) => f.evidence));
        for (const e of i.events) {
          if (coveredByUser(e, i)) continue;
          const mounts = plan.mounts.filter((m) => refUnder(e.realPath, m.path));
          expect(mounts.length).toBeLessThanOrEqual(1);
          const byMount = mounts.length === 1 && mounts[0]!.covers.includes(e.realPath);
          const bySystemWrite = systemEvidence.has(`${e.op} ${e.realPath}`);
          expect(byMount || bySystemWrite, `${e.op} ${e.realPath} is neither covered nor reported`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reports as system writes only the writes that land straight in a system tree', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const { plan, findings } = planMounts(i);
        const writes = i.events.filter((e) => !coveredByUser(e, i));
        for (const e of writes) {
          const dir = refWriteDir(e, writes);
          if ((SYSTEM_TREES as readonly string[]).includes(dir)) {
            const f = findings.find((x) => x.kind === 'system-write' && x.path === dir);
            expect(f?.evidence).toContain(`${e.op} ${e.realPath}`);
          } else {
            expect(plan.mounts.filter((m) => refUnder(dir, m.path))).toHaveLength(1);
          }
        }
        for (const f of findings.filter((x) => x.kind === 'system-write')) {
          for (const line of f.evidence) {
            expect(writes.some((e) => `${e.op} ${e.realPath}` === line && refWriteDir(e, writes) === f.path)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never mounts a system tree, and never nests one mount in another', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const { plan } = planMounts(i);
        for (const m of plan.mounts) {
          expect(SYSTEM_TREES).not.toContain(m.path);
          expect(plan.mounts.filter((o) => o !== m && refUnder(m.path, o.path))).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lists in covers only paths the app wrote, all below the mount, none under the user’s mounts', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const written = new Set(i.events.filter((e) => !coveredByUser(e, i)).map((e) => e.realPath));
        for (const m of planMounts(i).plan.mounts) {
          for (const p of m.covers) {
            expect(written.has(p)).toBe(true);
            expect(refUnder(p, m.path)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same bytes for the same events in any order', () => {
    const arb = inputArb.chain((i) =>
      fc.tuple(fc.constant(i), fc.shuffledSubarray([...i.events], { minLength: i.events.length, maxLength: i.events.length })),
    );
    fc.assert(
      fc.property(arb, ([i, shuffled]) => {
        expect(JSON.stringify(planMounts({ ...i, events: shuffled }))).toBe(JSON.stringify(planMounts(i)));
      }),
      { numRuns: 300 },
    );
  });
});
