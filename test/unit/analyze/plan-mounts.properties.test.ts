import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planMounts, type AnalyzeInput } from '../../../src/analyze/plan-mounts.js';
import type { DirFacts, ShippedEntry, Symlink } from '../../../src/model/fs-facts.js';
import type { Mount } from '../../../src/model/mount-plan.js';
import type { EntryType, WriteEvent } from '../../../src/model/write-event.js';
import { sampleImage } from '../../helpers/samples.js';

/*
 * Properties of planMounts over generated images and runs. Each expectation comes from the small
 * brute-force reference below, written from the rules (issue 3, DESIGN.md), never from the
 * helpers in src/analyze: an image tree is generated, then an app acting on it (creating,
 * editing, deleting, creating and removing again, opening for writing, executing), giving the
 * write events harvest would report and the facts it would read.
 */

// ---------------------------------------------------------------------------------------------
// The reference: plain path arithmetic and the rules, one at a time.

function parent(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function under(p: string, dir: string): boolean {
  return dir === '/' || p === dir || p.startsWith(`${dir}/`);
}

function join(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** The trees that never become mounts: / /bin /boot /dev /etc /lib* /proc /sbin /sys /usr /var. */
const SYSTEM = ['/', '/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/sbin', '/sys', '/usr', '/var'];
const isSystem = (p: string) => SYSTEM.includes(p);

/** Logs by name or place, data by name or content header (the names this generator uses). */
const isLog = (p: string) => p.endsWith('.log') || p.includes('/log/') || p.includes('/logs/');
function isData(e: WriteEvent): boolean {
  if (e.op === 'delete' || e.op === 'exec' || e.type === 'dir') return false;
  return e.format === 'sqlite' || e.format === 'redis-rdb' || /\.(db|rdb)$/.test(e.realPath) || e.realPath.endsWith('-wal');
}

/**
 * The directory one write needs: a directory the app created and kept is its own mount point;
 * a created file, or anything created and removed again, needs the parent of the topmost path
 * it created; a directory modified with nothing changed below needs itself; anything else its parent.
 */
function neededDir(e: WriteEvent, writes: readonly WriteEvent[]): string {
  const added = new Set(writes.filter((w) => w.op === 'add').map((w) => w.realPath));
  const removed = new Set(writes.filter((w) => w.op === 'delete').map((w) => w.realPath));
  const below = (p: string) => writes.some((w) => w.realPath !== p && under(w.realPath, p));
  const isDir = (p: string) => below(p) || writes.some((w) => w.realPath === p && w.type === 'dir');
  const p = e.realPath;
  if (e.op === 'modify' && isDir(p) && !below(p)) return p;
  if (!added.has(p)) return parent(p);
  let top = p;
  while (parent(top) !== '/' && added.has(parent(top))) top = parent(top);
  return isDir(top) && !removed.has(top) ? top : parent(top);
}

/** The innermost mount at or above a path. */
function innermost(p: string, mounts: readonly Mount[]): Mount | undefined {
  return mounts.filter((m) => under(p, m.path)).sort((a, b) => b.path.length - a.path.length)[0];
}

// ---------------------------------------------------------------------------------------------
// The generator: an image, then an app acting on it.

interface Node {
  readonly type: 'dir' | 'file' | 'symlink';
  readonly size: number;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly target?: string;
}
type Image = ReadonlyMap<string, Node>;

const TOP = ['var', 'etc', 'usr', 'run', 'srv', 'tmp', 'opt'] as const;
const MID = ['lib', 'log', 'cache', 'lock', 'app', 'data', 'www'] as const;
const FILES = ['a.conf', 'b.txt', 'app.log', 'state.db', 'dump.rdb', 'pid', 'run.sh'] as const;
const NEW_NAMES = ['new', 'cache', 'lock', 'app.log', 'data.db', 'x-wal', 'sock', 'pid', 'tmp.1'] as const;
const OWNERS = [
  [0, 0],
  [33, 4],
  [1000, 1000],
  [100, 101],
] as const;
const ownerArb = fc.constantFrom(...OWNERS);

const entryArb = fc.record({
  dirs: fc.tuple(fc.constantFrom(...TOP), fc.array(fc.constantFrom(...MID), { maxLength: 2 })),
  leaf: fc.option(fc.constantFrom(...FILES), { nil: undefined }),
  size: fc.constantFrom(0, 0, 120, 4096),
  owner: ownerArb,
  dirMode: fc.constantFrom(0o755, 0o750, 0o700, 0o775, 0o1777),
  fileMode: fc.constantFrom(0o644, 0o640, 0o755, 0o600),
});
const linkArb = fc.record({ dirs: fc.array(fc.constantFrom(...TOP, ...MID), { minLength: 1, maxLength: 2 }), name: fc.constantFrom('current', 'lock', 'run', 'tmp'), to: fc.nat() });

type Value<A> = A extends fc.Arbitrary<infer T> ? T : never;

function buildImage(entries: readonly Value<typeof entryArb>[], links: readonly Value<typeof linkArb>[]): Map<string, Node> {
  const image = new Map<string, Node>([['/', { type: 'dir', size: 0, uid: 0, gid: 0, mode: 0o755 }]]);
  for (const e of entries) {
    let d = '/';
    for (const seg of [e.dirs[0], ...e.dirs[1]]) {
      d = join(d, seg);
      if (!image.has(d)) image.set(d, { type: 'dir', size: 0, uid: e.owner[0], gid: e.owner[1], mode: e.dirMode });
      if (image.get(d)?.type !== 'dir') break;
    }
    if (e.leaf !== undefined && image.get(d)?.type === 'dir' && !image.has(join(d, e.leaf))) {
      image.set(join(d, e.leaf), { type: 'file', size: e.size, uid: e.owner[0], gid: e.owner[1], mode: e.fileMode });
    }
  }
  const dirs = [...image].filter(([, n]) => n.type === 'dir').map(([p]) => p).sort();
  for (const l of links) {
    const at = join(`/${l.dirs.join('/')}`, l.name);
    if (image.get(parent(at))?.type !== 'dir' || image.has(at)) continue;
    image.set(at, { type: 'symlink', size: 0, uid: 0, gid: 0, mode: 0o777, target: dirs[l.to % dirs.length]! });
  }
  return image;
}

const INTENTS = ['add-file', 'add-dir', 'add-tree', 'transient-file', 'transient-dir', 'modify', 'delete', 'open-write', 'exec', 'modify-dir'] as const;
const intentArb = fc.record({
  kind: fc.constantFrom(...INTENTS),
  pick: fc.nat(),
  name: fc.constantFrom(...NEW_NAMES),
  owner: ownerArb,
  mode: fc.constantFrom(0o644, 0o600, 0o755, 0o700, 0o1777),
  size: fc.constantFrom(0, 10, 5000),
  format: fc.option(fc.constantFrom('sqlite', 'redis-rdb', 'gzip'), { freq: 8, nil: undefined }),
});
type Intent = Value<typeof intentArb>;

interface Run {
  readonly events: WriteEvent[];
  /** Directories the app created and kept, with the owner and mode it gave them. */
  readonly createdDirs: Map<string, Node>;
  /** Image paths the app deleted (and everything below them). */
  readonly deleted: Set<string>;
}

/** The events an app acting on the image leaves, as harvest reports them (one change per path). */
function act(image: Image, intents: readonly Intent[]): Run {
  const app = new Map<string, Node>();
  const gone = new Set<string>();
  const touched = new Set<string>();
  const events: WriteEvent[] = [];
  const live = (p: string) => !gone.has(p) && (image.has(p) || app.has(p));
  const liveDirs = () => [...image.keys(), ...app.keys()].filter((p) => live(p) && (app.get(p) ?? image.get(p))?.type === 'dir').sort();
  const shipped = (type: Node['type']) => [...image].filter(([p, n]) => n.type === type && p !== '/' && !gone.has(p) && !touched.has(p)).map(([p]) => p).sort();
  const pick = <T,>(xs: readonly T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length]);
  const ev = (op: WriteEvent['op'], p: string, type: EntryType, meta?: { uid: number; gid: number; mode: number; size: number; format?: string | undefined }): WriteEvent => ({
    path: p,
    realPath: p,
    op,
    source: op === 'open-write' ? 'strace' : 'diff',
    type,
    ...(meta ? { size: meta.size, uid: meta.uid, gid: meta.gid, mode: meta.mode } : {}),
    ...(meta?.format !== undefined ? { format: meta.format } : {}),
  });
  for (const it of intents) {
    const meta = { uid: it.owner[0], gid: it.owner[1], mode: it.mode, size: it.size, format: it.format };
    const dirMeta = { uid: it.owner[0], gid: it.owner[1], mode: it.mode, size: 0 };
    switch (it.kind) {
      case 'add-file':
      case 'add-dir':
      case 'add-tree':
      case 'transient-file':
      case 'transient-dir': {
        const d = pick(liveDirs(), it.pick);
        if (d === undefined) break;
        const p = join(d, it.name);
        if (image.has(p) || app.has(p) || gone.has(p)) break;
        touched.add(p);
        if (it.kind === 'add-file') {
          app.set(p, { type: 'file', ...meta });
          events.push(ev('add', p, 'file', meta));
        } else if (it.kind === 'transient-file') {
          gone.add(p);
          events.push(ev('add', p, 'file', meta), ev('delete', p, 'file'));
        } else if (it.kind === 'transient-dir') {
          gone.add(p);
          gone.add(join(p, 'f'));
          events.push(ev('add', p, 'dir', dirMeta), ev('delete', p, 'dir'), ev('add', join(p, 'f'), 'file', meta), ev('delete', join(p, 'f'), 'file'));
        } else {
          app.set(p, { type: 'dir', ...dirMeta });
          events.push(ev('add', p, 'dir', dirMeta));
          if (it.kind === 'add-tree') {
            app.set(join(p, 'f'), { type: 'file', ...meta });
            touched.add(join(p, 'f'));
            events.push(ev('add', join(p, 'f'), 'file', meta));
          }
        }
        break;
      }
      case 'modify':
      case 'open-write': {
        const p = pick(shipped('file'), it.pick);
        if (p === undefined) break;
        const n = image.get(p)!;
        touched.add(p);
        events.push(ev(it.kind === 'modify' ? 'modify' : 'open-write', p, 'file', { uid: n.uid, gid: n.gid, mode: n.mode, size: it.size, format: it.format }));
        break;
      }
      case 'exec': {
        const files = [...image.keys(), ...app.keys()].filter((p) => live(p) && (app.get(p) ?? image.get(p))?.type === 'file').sort();
        const p = pick(files, it.pick);
        if (p !== undefined) events.push(ev('exec', p, 'file'));
        break;
      }
      case 'modify-dir': {
        const p = pick(shipped('dir'), it.pick);
        if (p === undefined) break;
        const n = image.get(p)!;
        touched.add(p);
        events.push(ev('modify', p, 'dir', { uid: n.uid, gid: n.gid, mode: n.mode, size: 0 }));
        break;
      }
      case 'delete': {
        // A shipped file, link or directory nothing else happened in; docker diff shows a deleted tree as one D.
        const candidates = [...image.keys()].filter((p) => p !== '/' && !isSystem(p) && !gone.has(p) && ![...touched].some((t) => under(t, p))).sort();
        const p = pick(candidates, it.pick);
        if (p === undefined) break;
        for (const q of image.keys()) if (under(q, p)) gone.add(q);
        touched.add(p);
        events.push(ev('delete', p, image.get(p)!.type));
        break;
      }
    }
  }
  // harvest drops a directory's own "modified" when something changed below it.
  const kept = events.filter((e) => !(e.op === 'modify' && e.type === 'dir' && events.some((o) => o.realPath !== e.realPath && under(o.realPath, e.realPath))));
  const createdDirs = new Map([...app].filter(([p, n]) => n.type === 'dir' && live(p)));
  return { events: kept, createdDirs, deleted: new Set([...gone].filter((p) => image.has(p))) };
}

/** Names an event through a link when asked and one leads there (/var/run/x for /run/x). */
function throughLinks(events: readonly WriteEvent[], links: readonly Symlink[], viaLink: readonly boolean[]): WriteEvent[] {
  return events.map((e, i) => {
    const l = links.find((s) => e.realPath.startsWith(`${s.target}/`));
    return l && viaLink[i % viaLink.length] ? { ...e, path: l.path + e.realPath.slice(l.target.length) } : e;
  });
}

/** What harvest reads of the image: every directory's own facts and the entries it ships. */
function factsOf(image: Image, run: Run): DirFacts[] {
  const children = (d: string) => [...image].filter(([p]) => p !== '/' && parent(p) === d).sort(([a], [b]) => (a < b ? -1 : 1));
  const out: DirFacts[] = [];
  for (const [p, n] of image) {
    if (n.type !== 'dir') continue;
    if (run.deleted.has(p)) {
      out.push({ path: p, exists: false, shipped: [] });
      continue;
    }
    const shipped = children(p).map(([q, c]): ShippedEntry => ({
      name: q.slice(p === '/' ? 1 : p.length + 1),
      type: c.type,
      size: c.size,
      uid: c.uid,
      gid: c.gid,
      mode: c.mode,
      ...(c.type === 'dir' ? { empty: children(q).length === 0 } : {}),
      ...(c.target !== undefined ? { linkTarget: c.target } : {}),
    }));
    out.push({ path: p, exists: true, type: 'dir', uid: n.uid, gid: n.gid, mode: n.mode, shipped });
  }
  for (const [p, n] of run.createdDirs) out.push({ path: p, exists: true, created: true, type: 'dir', uid: n.uid, gid: n.gid, mode: n.mode, shipped: [] });
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

interface Case {
  readonly image: Image;
  readonly input: AnalyzeInput;
  /** The writes the plan must serve: not exec, not under the user's mounts or declared volumes. */
  readonly writes: readonly WriteEvent[];
  readonly volumes: readonly string[];
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({ entries: fc.array(entryArb, { maxLength: 14 }), links: fc.array(linkArb, { maxLength: 3 }) })
  .map(({ entries, links }) => buildImage(entries, links))
  .chain((image) => {
    const dirs = [...image].filter(([p, n]) => n.type === 'dir' && p !== '/').map(([p]) => p).sort();
    const own = dirs.filter((p) => !isSystem(p));
    return fc.record({
      image: fc.constant(image),
      intents: fc.array(intentArb, { maxLength: 18 }),
      userMounts: fc.subarray([...dirs, '/nowhere/mnt'], { maxLength: Math.min(2, dirs.length + 1) }),
      volumes: fc.subarray(own, { maxLength: Math.min(2, own.length) }),
      viaLink: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
    });
  })
  .map(({ image, intents, userMounts, volumes, viaLink }) => {
    const run = act(image, intents);
    const symlinks: Symlink[] = [...image].filter(([, n]) => n.type === 'symlink').map(([p, n]) => ({ path: p, target: n.target! }));
    // Writes into a declared volume are read from the volume, not from the diff.
    const events = throughLinks(run.events, symlinks, viaLink).map((e) => (volumes.some((v) => under(e.realPath, v)) ? { ...e, source: 'volume' as const } : e));
    const input: AnalyzeInput = { image: sampleImage({ volumes }), events, fs: { dirs: factsOf(image, run), symlinks }, userMounts };
    const writes = events.filter((e) => e.op !== 'exec' && ![...userMounts, ...volumes].some((m) => under(e.realPath, m)));
    return { image, input, writes, volumes };
  });

const RUNS = { numRuns: 400 };

// ---------------------------------------------------------------------------------------------

/** A directory the image ships that is still there after the run. */
function shippedDir(c: Case, p: string): boolean {
  return c.image.get(p)?.type === 'dir' && c.input.fs.dirs.some((d) => d.path === p && d.exists && d.created !== true);
}

function shippedChildren(c: Case, dir: string): [string, Node][] {
  return [...c.image].filter(([p]) => p !== '/' && parent(p) === dir).sort(([a], [b]) => (a < b ? -1 : 1));
}

describe('planMounts properties', () => {
  it('(a) serves every written path by exactly one mount, its innermost enclosing one, or reports it as a system write', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { plan, findings } = planMounts(c.input);
        const evidence = new Map(findings.filter((f) => f.kind === 'system-write').map((f) => [f.path, f.evidence]));
        for (const e of c.writes) {
          const need = neededDir(e, c.writes);
          const line = `${e.op} ${e.realPath}`;
          const coveredBy = plan.mounts.filter((m) => m.covers.includes(e.realPath));
          if (isSystem(need)) {
            const shown = evidence.get(need);
            expect(shown, `${line} lands straight in ${need}`).toBeDefined();
            // The evidence lists the first 20 writes.
            expect(shown!.includes(line) || shown!.length === 20, `${line} missing from the ${need} finding`).toBe(true);
            if (c.writes.filter((w) => w.realPath === e.realPath).every((w) => isSystem(neededDir(w, c.writes)))) expect(coveredBy).toEqual([]);
            continue;
          }
          const inner = innermost(e.realPath, plan.mounts);
          expect(inner?.path, `no mount holds ${line}`).toBeDefined();
          expect(coveredBy.map((m) => m.path), `${line}`).toEqual([inner!.path]);
          // The mount serves the directory the write needs, from at or above it.
          expect(under(need, inner!.path), `${line} needs ${need}, served from ${inner!.path}`).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('(a) reaches every needed directory without passing a shipped directory its mount hides', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { plan } = planMounts(c.input);
        for (const e of c.writes) {
          const need = neededDir(e, c.writes);
          if (isSystem(need)) continue;
          const m = innermost(need, plan.mounts)!;
          // A volume (seeded or persistent) starts with the image's content: it hides nothing.
          if (m.kind !== 'tmpfs') continue;
          for (let d = need; d !== m.path && d !== '/'; d = parent(d)) {
            expect(shippedDir(c, d), `${e.op} ${e.realPath} needs ${need} through ${d}, which the mount on ${m.path} hides`).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });

  it('(b) hides no shipped entry without saying so, and puts no tmpfs over content', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { plan } = planMounts(c.input);
        for (const m of plan.mounts) {
          if (c.volumes.includes(m.path)) continue;
          if (!shippedDir(c, m.path)) {
            expect(m.hides, m.path).toEqual([]);
            continue;
          }
          const kids = shippedChildren(c, m.path);
          expect(m.hides, m.path).toEqual(kids.map(([p]) => p.slice(m.path.length + 1)));
          const mine = c.writes.filter((e) => innermost(e.realPath, plan.mounts)?.path === m.path);
          const written = new Set(mine.map((e) => e.realPath));
          const edited = (p: string) => mine.some((e) => e.realPath === p && e.op === 'modify' && e.type === 'file' && !isLog(p) && !isData(e));
          const content = kids.filter(([p, n]) => {
            if (n.type === 'symlink') return true;
            if (n.type === 'dir') return shippedChildren(c, p).length > 0;
            return written.has(p) ? edited(p) : n.size > 0;
          });
          if (content.length > 0) expect(m.kind, `${m.path} hides ${content.map(([p]) => p).join(', ')}`).not.toBe('tmpfs');
          const data = mine.some(isData);
          expect(m.kind, m.path).toBe(data ? 'volume' : content.length > 0 ? 'seeded' : 'tmpfs');
        }
      }),
      RUNS,
    );
  });

  it('(b) warns exactly when a tmpfs hides the target of a link', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { plan, findings } = planMounts(c.input);
        const hidden = new Set<string>();
        for (const l of c.input.fs.symlinks) {
          // The innermost mount above the target, with nothing mounted at the target itself.
          const holder = innermost(parent(l.target), plan.mounts);
          if (!holder || l.target === '/' || plan.mounts.some((m) => m.path === l.target)) continue;
          // A volume, seeded or not, starts with the image's copy; only a tmpfs hides.
          const first = l.target.slice(holder.path.length + 1).split('/')[0]!;
          if (holder.kind === 'tmpfs' && shippedDir(c, holder.path) && c.image.has(join(holder.path, first))) hidden.add(l.target);
        }
        const warned = findings.filter((f) => f.kind === 'hidden-symlink-target').map((f) => f.path);
        expect(warned.sort()).toEqual([...hidden].sort());
      }),
      RUNS,
    );
  });

  it('(c) never mounts a system tree or a directory above one', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        for (const m of planMounts(c.input).plan.mounts) {
          expect(SYSTEM.filter((t) => under(t, m.path)), m.path).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('(d) gives the same JSON for the same events in any order', () => {
    const arb = caseArb.chain((c) => fc.tuple(fc.constant(c), fc.shuffledSubarray([...c.input.events], { minLength: c.input.events.length, maxLength: c.input.events.length })));
    fc.assert(
      fc.property(arb, ([c, shuffled]) => {
        expect(JSON.stringify(planMounts({ ...c.input, events: shuffled }))).toBe(JSON.stringify(planMounts(c.input)));
      }),
      RUNS,
    );
  });

  it('(e) nests a mount only where the outer one hides a shipped directory a write lies under', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { plan } = planMounts(c.input);
        for (const m of plan.mounts) {
          if (c.volumes.includes(m.path)) continue;
          const outer = innermost(parent(m.path), plan.mounts.filter((o) => o !== m && !c.volumes.includes(o.path)));
          if (!outer || m.path === '/') continue;
          const first = m.path.slice(outer.path.length + 1).split('/')[0]!;
          expect(shippedDir(c, m.path), `${m.path} inside ${outer.path} is not shipped`).toBe(true);
          expect(outer.hides, `${outer.path} does not hide ${m.path}`).toContain(first);
          expect(c.writes.some((e) => under(e.realPath, m.path)), `nothing is written under ${m.path}`).toBe(true);
        }
      }),
      RUNS,
    );
  });
});
