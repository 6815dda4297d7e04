import { readFileSync } from 'node:fs';
import type { ListedEntry } from '../../src/harvest/archive.js';
import { HEAD_BYTES } from '../../src/harvest/formats.js';
import { harvest, type Harvest } from '../../src/harvest/harvest.js';
import { listingCollector, listingScope, type DirListing, type VolumeListing } from '../../src/harvest/listing.js';
import { readWithin, writeDirs, type Snapshot } from '../../src/harvest/snapshot.js';
import { COMPAT_LINKS, absoluteTarget } from '../../src/harvest/image-links.js';
import type { Symlink } from '../../src/model/fs-facts.js';
import type { ImageFacts } from '../../src/model/image-facts.js';
import type { FsChange } from '../../src/model/write-event.js';

/**
 * The fixture images as the unit tests see them: the real `docker diff` captures in
 * test/fixtures/docker-diff/, and what each image ships at the directories involved
 * (owners and modes as the README there records them).
 */

const DIFF_DIR = new URL('../fixtures/docker-diff/', import.meta.url);

/** `docker diff` CLI text ("A /path") → FsChange[]. */
export function parseDiffText(text: string): FsChange[] {
  const kinds = { A: 'added', C: 'modified', D: 'deleted' } as const;
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const m = /^([ACD]) (\/.*)$/.exec(line);
      if (!m) throw new Error(`not a docker diff line: ${JSON.stringify(line)}`);
      return { kind: kinds[m[1] as 'A' | 'C' | 'D'], path: m[2]! };
    });
}

export function readDiff(name: string): FsChange[] {
  return parseDiffText(readFileSync(new URL(`${name}.txt`, DIFF_DIR), 'utf8'));
}

/**
 * One filesystem entry by absolute path (the tar header fields harvest reads). For a file,
 * `head` is the start of its content; the rest, up to `size`, is filler (see contentOf).
 */
export type Entry = ListedEntry;
export type Tree = ReadonlyMap<string, Entry>;

export const dir = (uid: number, gid: number, mode: number): Entry => ({ type: 'dir', size: 0, uid, gid, mode, mtimeMs: 0 });
export const file = (uid: number, gid: number, mode: number, size: number, head?: string): Entry => ({
  type: 'file',
  size,
  uid,
  gid,
  mode,
  mtimeMs: 0,
  ...(head !== undefined ? { head: Buffer.from(head, 'latin1') } : {}),
});
export const link = (target: string): Entry => ({ type: 'symlink', size: 0, uid: 0, gid: 0, mode: 0o777, mtimeMs: 0, linkTarget: target });

/** A file's whole content, as the tar helper writes it: its head, then "a" up to its size. */
export function contentOf(e: Entry): Buffer {
  const head = e.head ?? Buffer.alloc(0);
  return Buffer.concat([head, Buffer.alloc(Math.max(0, e.size - head.length), 0x61)]).subarray(0, e.size);
}

/** The part of the Debian base every Debian fixture shares. */
const DEBIAN_BASE: [string, Entry][] = [
  ['/', dir(0, 0, 0o755)],
  ['/etc', dir(0, 0, 0o755)],
  ['/etc/passwd', file(0, 0, 0o644, 922)],
  ['/run', dir(0, 0, 0o755)],
  ['/run/lock', dir(0, 0, 0o1777)],
  ['/run/mount', dir(0, 0, 0o755)],
  ['/usr', dir(0, 0, 0o755)],
  ['/var', dir(0, 0, 0o755)],
  ['/var/lib', dir(0, 0, 0o755)],
  ['/var/lock', link('/run/lock')],
  ['/var/log', dir(0, 0, 0o755)],
  ['/var/run', link('/run')],
];

/** The FROM-scratch busybox-app image (busybox-static, user app 1000:1000, /var/run -> /run). */
const BUSYBOX_APP: [string, Entry][] = [
  ['/', dir(0, 0, 0o755)],
  ['/app', dir(0, 0, 0o755)],
  ['/app/start.sh', file(0, 0, 0o755, 402)],
  ['/bin', dir(0, 0, 0o755)],
  ['/bin/busybox', file(0, 0, 0o755, 2004480)],
  ['/etc', dir(0, 0, 0o755)],
  ['/etc/passwd', file(0, 0, 0o644, 64)],
  ['/run', dir(0, 0, 0o755)],
  ['/run/app', dir(1000, 1000, 0o755)],
  ['/tmp', dir(0, 0, 0o1777)],
  ['/var', dir(0, 0, 0o755)],
  ['/var/log', dir(0, 0, 0o755)],
  ['/var/log/app', dir(1000, 1000, 0o755)],
  ['/var/run', link('/run')],
  ['/www', dir(0, 0, 0o755)],
  ['/www/index.html', file(0, 0, 0o644, 38)],
];

export interface Scenario {
  readonly image: ImageFacts;
  readonly running: readonly FsChange[];
  readonly stopped: readonly FsChange[];
  /** The container's filesystem while it ran, and after it stopped. */
  readonly treeRunning: Tree;
  readonly treeStopped: Tree;
}

function imageFacts(overrides: Partial<ImageFacts> & Pick<ImageFacts, 'ref' | 'id'>): ImageFacts {
  return {
    repoDigests: [],
    user: '',
    entrypoint: [],
    cmd: [],
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    workingDir: '',
    exposedPorts: [],
    volumes: [],
    stopSignal: 'SIGTERM',
    os: 'linux',
    architecture: 'amd64',
    ...overrides,
  };
}

export function nginxScenario(): Scenario {
  const shipped: [string, Entry][] = [
    ...DEBIAN_BASE,
    ['/var/lib/nginx', dir(0, 0, 0o755)],
    ['/var/log/nginx', dir(0, 4, 0o755)],
    ['/var/log/nginx/access.log', file(33, 4, 0o640, 0)],
    ['/var/log/nginx/error.log', file(33, 4, 0o640, 0)],
  ];
  const tempDirs: [string, Entry][] = ['body', 'fastcgi', 'proxy', 'scgi', 'uwsgi'].map((d) => [`/var/lib/nginx/${d}`, dir(33, 0, 0o700)]);
  const afterRequest = new Map([...shipped, ...tempDirs, ['/var/log/nginx/access.log', file(33, 4, 0o640, 93)]]);
  return {
    image: imageFacts({
      ref: 'ro-profile-fixture/nginx:latest',
      id: 'sha256:5f0c3a1e9b7d44c2a8e16f3b9d20c7a4e1f5b6c8d9a0e2f3b4c5d6e7f8091a2b',
      cmd: ['nginx', '-g', 'daemon off;'],
      exposedPorts: [{ port: 80, protocol: 'tcp' }],
      stopSignal: 'SIGQUIT',
    }),
    running: readDiff('nginx-running'),
    stopped: readDiff('nginx-stopped'),
    treeRunning: new Map([...afterRequest, ['/run/nginx.pid', file(0, 0, 0o644, 2)]]),
    treeStopped: afterRequest,
  };
}

export function busyboxScenario(): Scenario {
  const tree = new Map<string, Entry>([
    ...BUSYBOX_APP,
    ['/run/app/app.pid', file(1000, 1000, 0o644, 2)],
    ['/var/log/app/app.log', file(1000, 1000, 0o644, 58)],
  ]);
  const diff = readDiff('busybox-app');
  return {
    image: imageFacts({
      ref: 'ro-profile-fixture/busybox-app:latest',
      id: 'sha256:0b6a7e52c1d94f3e8a27b5c6d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f809a1b',
      user: 'app',
      cmd: ['/app/start.sh'],
      workingDir: '/app',
      exposedPorts: [{ port: 8080, protocol: 'tcp' }],
    }),
    running: diff,
    stopped: diff,
    treeRunning: tree,
    treeStopped: tree,
  };
}

export function redisScenario(): Scenario {
  const shipped = new Map<string, Entry>([...DEBIAN_BASE, ['/var/lib/redis', dir(100, 101, 0o750)]]);
  return {
    image: imageFacts({
      ref: 'ro-profile-fixture/redis:latest',
      id: 'sha256:9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d',
      user: 'redis',
      cmd: ['redis-server', '--bind', '0.0.0.0', '--protected-mode', 'no', '--dir', '/var/lib/redis'],
      workingDir: '/var/lib/redis',
      exposedPorts: [{ port: 6379, protocol: 'tcp' }],
    }),
    // Redis writes nothing while serving a short exercise; it saves dump.rdb at shutdown.
    running: [],
    stopped: readDiff('redis-stopped'),
    treeRunning: shipped,
    treeStopped: new Map([...shipped, ['/var/lib/redis/dump.rdb', file(100, 101, 0o644, 88, 'REDIS0011\xfa\tredis-ver')]]),
  };
}

/**
 * Debian apache2 through apache2ctl: it creates /run/apache2 and /run/lock/apache2 (through the
 * /var/run and /var/lock links), a pid file removed at stop, and appends to the shipped logs.
 */
export function apache2Scenario(): Scenario {
  const shipped: [string, Entry][] = [
    ...DEBIAN_BASE,
    ['/var/log/apache2', dir(0, 4, 0o750)],
    ['/var/log/apache2/access.log', file(0, 4, 0o640, 0)],
    ['/var/log/apache2/error.log', file(0, 4, 0o640, 0)],
    ['/var/log/apache2/other_vhosts_access.log', file(0, 4, 0o640, 0)],
  ];
  const stopped = new Map<string, Entry>([
    ...shipped,
    ['/run/apache2', dir(0, 0, 0o755)],
    // mktemp -d (mode 0700) then chown www-data, then mv -T into place.
    ['/run/apache2/socks', dir(33, 0, 0o700)],
    ['/run/lock/apache2', dir(33, 0, 0o700)],
    ['/var/log/apache2/access.log', file(0, 4, 0o640, 94)],
    ['/var/log/apache2/error.log', file(0, 4, 0o640, 431)],
  ]);
  return {
    image: imageFacts({
      ref: 'ro-profile-fixture/apache2:latest',
      id: 'sha256:a2a2a2a2b3b3b3b3c4c4c4c4d5d5d5d5e6e6e6e6f7f7f7f7a8a8a8a8b9b9b9b9',
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'APACHE_HTTPD=exec /usr/sbin/apache2'],
      cmd: ['apache2ctl', '-D', 'FOREGROUND'],
      exposedPorts: [{ port: 80, protocol: 'tcp' }],
      stopSignal: 'SIGWINCH',
    }),
    running: readDiff('apache2-running'),
    stopped: readDiff('apache2-stopped'),
    treeRunning: new Map([...stopped, ['/run/apache2/apache2.pid', file(0, 0, 0o644, 3)]]),
    treeStopped: stopped,
  };
}

/** An entrypoint (uid 1000) that edits /etc/app/httpd.conf in place and reads /etc/app/defaults.env. */
export function configEditScenario(): Scenario {
  const tree = new Map<string, Entry>([
    ...BUSYBOX_APP,
    ['/app/entrypoint.sh', file(0, 0, 0o755, 618)],
    ['/etc/app', dir(1000, 1000, 0o755)],
    ['/etc/app/defaults.env', file(1000, 1000, 0o644, 72)],
    // Rewritten by sed -i: a new file renamed over the shipped one, same owner and mode.
    ['/etc/app/httpd.conf', file(1000, 1000, 0o644, 118)],
  ]);
  const diff = readDiff('config-edit-running');
  return {
    image: imageFacts({
      ref: 'ro-profile-fixture/config-edit:latest',
      id: 'sha256:c0c0c0c0e1e1e1e1d2d2d2d2f3f3f3f3a4a4a4a4b5b5b5b5c6c6c6c6d7d7d7d7',
      user: 'app',
      entrypoint: ['/app/entrypoint.sh'],
      workingDir: '/app',
      exposedPorts: [{ port: 8080, protocol: 'tcp' }],
    }),
    running: diff,
    stopped: readDiff('config-edit-stopped'),
    treeRunning: tree,
    treeStopped: tree,
  };
}

/** A uid-1000 app writing into root-owned /tmp (1777) and /srv/uploads (root:1000 0775). */
export function nonrootDirsScenario(): Scenario {
  const tree = new Map<string, Entry>([
    ...BUSYBOX_APP,
    ['/app/run.sh', file(0, 0, 0o755, 377)],
    ['/srv', dir(0, 0, 0o755)],
    ['/srv/uploads', dir(0, 1000, 0o775)],
    ['/srv/uploads/first-upload.txt', file(1000, 1000, 0o644, 41)],
    ['/tmp/nonroot-dirs.started', file(1000, 1000, 0o644, 36)],
  ]);
  return {
    image: imageFacts({
      ref: 'ro-profile-fixture/nonroot-dirs:latest',
      id: 'sha256:d1d1d1d1e2e2e2e2f3f3f3f3a4a4a4a4b5b5b5b5c6c6c6c6d7d7d7d7e8e8e8e8',
      user: 'app',
      cmd: ['/app/run.sh'],
      workingDir: '/app',
      exposedPorts: [{ port: 8080, protocol: 'tcp' }],
    }),
    running: readDiff('nonroot-dirs-running'),
    stopped: readDiff('nonroot-dirs-stopped'),
    treeRunning: tree,
    treeStopped: tree,
  };
}

/** A system user app (999:999) keeping a real SQLite database in /var/lib/app, outside any VOLUME. */
export function sqliteAppScenario(): Scenario {
  const tree = new Map<string, Entry>([
    ...DEBIAN_BASE,
    ['/var/lib/app', dir(999, 999, 0o750)],
    ['/var/lib/app/app.db', file(999, 999, 0o644, 8192, 'SQLite format 3\0')],
  ]);
  return {
    image: imageFacts({
      ref: 'ro-profile-fixture/sqlite-app:latest',
      id: 'sha256:5a5a5a5a6b6b6b6b7c7c7c7c8d8d8d8d9e9e9e9eafafafafb0b0b0b0c1c1c1c1',
      user: 'app',
      cmd: ['/app/start.sh'],
      workingDir: '/var/lib/app',
      exposedPorts: [{ port: 8080, protocol: 'tcp' }],
    }),
    running: readDiff('sqlite-app-running'),
    stopped: readDiff('sqlite-app-stopped'),
    treeRunning: tree,
    treeStopped: tree,
  };
}

function under(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}

/** Docker names archive entries after the directory's basename: "nginx", "nginx/access.log". */
export function archiveName(dir: string, path: string): string {
  const base = dir.slice(dir.lastIndexOf('/') + 1);
  return path === dir ? base : `${base}/${path.slice(dir === '/' ? 1 : dir.length + 1)}`;
}

/** The statPath question takeSnapshot asks, answered from a tree. */
export function isDirIn(tree: Tree): (path: string) => boolean {
  return (path) => tree.get(path)?.type === 'dir';
}

/** An entry as scanArchive gives it: a non-empty file carries the first HEAD_BYTES of its content. */
function asRead(e: Entry): ListedEntry {
  const { head: _head, ...rest } = e;
  const head = e.type === 'file' && e.size > 0 ? contentOf(e).subarray(0, HEAD_BYTES) : undefined;
  return { ...rest, ...(head ? { head } : {}) };
}

/** What listDir reads for one directory: the directory itself and everything below it, or what a scope keeps of it. */
export function listingOf(tree: Tree, dir: string, scope?: ReadonlySet<string>): DirListing {
  const c = listingCollector(dir, scope);
  for (const [path, e] of [...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (under(path, dir)) c.add(asRead(e), archiveName(dir, path));
  }
  return c.done();
}

/** The snapshot takeSnapshot would build from this diff over this filesystem. */
export function snapshotOf(changes: readonly FsChange[], tree: Tree, ignore: (p: string) => boolean = () => false): Snapshot {
  const listings = new Map<string, DirListing>();
  const scope = listingScope(changes);
  const read: string[] = [];
  for (const d of writeDirs(changes, ignore, isDirIn(tree))) {
    const within = readWithin(d, read, scope);
    listings.set(d, within ? { entries: new Map() } : listingOf(tree, d, scope));
    if (!within) read.push(d);
  }
  return { changes, listings };
}

/** What readCompatLinks finds in a tree: the compatibility links, with absolute targets. */
export function compatLinksOf(tree: Tree): Symlink[] {
  return COMPAT_LINKS.flatMap((path) => {
    const e = tree.get(path);
    return e?.type === 'symlink' && e.linkTarget ? [{ path, target: absoluteTarget(path, e.linkTarget) }] : [];
  });
}

/** What listVolume reads for a declared volume: everything below it, keyed by absolute path. */
export function volumeListingOf(tree: Tree, destination: string): VolumeListing {
  const entries = new Map<string, ListedEntry>();
  for (const [path, e] of tree) if (under(path, destination)) entries.set(path, asRead(e));
  return { destination, entries };
}

/** The captured diffs through harvest, as a real run of the fixture image would read them. */
export function harvestScenario(s: Scenario, ignore: (p: string) => boolean = () => false): Harvest {
  return harvest({
    running: snapshotOf(s.running, s.treeRunning, ignore),
    stopped: snapshotOf(s.stopped, s.treeStopped, ignore),
    ignore,
    symlinks: compatLinksOf(s.treeStopped),
  });
}
