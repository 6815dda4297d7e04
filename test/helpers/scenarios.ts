import { readFileSync } from 'node:fs';
import type { ArchiveEntry } from '../../src/harvest/archive.js';
import { writeDirs, type DirListing, type Snapshot } from '../../src/harvest/harvest.js';
import type { ImageFacts } from '../../src/model/image-facts.js';
import type { FsChange } from '../../src/model/write-event.js';

/**
 * The fixture images as the unit tests see them: the real `docker diff` captures in
 * test/fixtures/docker-diff/, and what each image ships at the directories involved.
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

/** One filesystem entry by absolute path (the tar header fields harvest reads). */
export type Tree = ReadonlyMap<string, Omit<ArchiveEntry, 'name'>>;

const dir = (uid: number, gid: number, mode: number) => ({ type: 'dir' as const, size: 0, uid, gid, mode });
const file = (uid: number, gid: number, mode: number, size: number) => ({ type: 'file' as const, size, uid, gid, mode });

/** The part of the Debian base every fixture shares. */
const BASE: [string, Omit<ArchiveEntry, 'name'>][] = [
  ['/', dir(0, 0, 0o755)],
  ['/etc', dir(0, 0, 0o755)],
  ['/etc/passwd', file(0, 0, 0o644, 922)],
  ['/run', dir(0, 0, 0o755)],
  ['/run/lock', dir(0, 0, 0o1777)],
  ['/run/mount', dir(0, 0, 0o755)],
  ['/usr', dir(0, 0, 0o755)],
  ['/var', dir(0, 0, 0o755)],
  ['/var/lib', dir(0, 0, 0o755)],
  ['/var/log', dir(0, 0, 0o755)],
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
  const shipped: [string, Omit<ArchiveEntry, 'name'>][] = [
    ...BASE,
    ['/var/lib/nginx', dir(0, 0, 0o755)],
    ['/var/log/nginx', dir(0, 4, 0o755)],
    ['/var/log/nginx/access.log', file(33, 4, 0o640, 0)],
    ['/var/log/nginx/error.log', file(33, 4, 0o640, 0)],
  ];
  const tempDirs: [string, Omit<ArchiveEntry, 'name'>][] = ['body', 'fastcgi', 'proxy', 'scgi', 'uwsgi'].map((d) => [`/var/lib/nginx/${d}`, dir(33, 0, 0o700)]);
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
  // FROM scratch: busybox-static, a non-root user, /var/run a symlink to /run.
  const tree = new Map<string, Omit<ArchiveEntry, 'name'>>([
    ['/', dir(0, 0, 0o755)],
    ['/app', dir(0, 0, 0o755)],
    ['/app/start.sh', file(0, 0, 0o755, 402)],
    ['/bin', dir(0, 0, 0o755)],
    ['/bin/busybox', file(0, 0, 0o755, 2004480)],
    ['/run', dir(0, 0, 0o755)],
    ['/tmp', dir(0, 0, 0o1777)],
    ['/var', dir(0, 0, 0o755)],
    ['/var/log', dir(0, 0, 0o755)],
    ['/run/app', dir(1000, 1000, 0o755)],
    ['/run/app/app.pid', file(1000, 1000, 0o644, 2)],
    ['/var/log/app', dir(1000, 1000, 0o755)],
    ['/var/log/app/app.log', file(1000, 1000, 0o644, 58)],
    ['/var/run', { type: 'symlink', size: 0, uid: 0, gid: 0, mode: 0o777, linkTarget: '/run' }],
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
  const shipped = new Map<string, Omit<ArchiveEntry, 'name'>>([...BASE, ['/var/lib/redis', dir(100, 101, 0o750)]]);
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
    treeStopped: new Map([...shipped, ['/var/lib/redis/dump.rdb', file(100, 101, 0o644, 88)]]),
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

/** What takeSnapshot reads for one directory: the directory itself and everything below it. */
export function listingOf(tree: Tree, dir: string): DirListing {
  const self = tree.get(dir);
  const entries = new Map<string, ArchiveEntry>();
  for (const [path, e] of [...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (path !== dir && under(path, dir)) entries.set(path, { name: archiveName(dir, path), ...e });
  }
  return { ...(self ? { self: { name: archiveName(dir, dir), ...self } } : {}), entries, truncated: false };
}

/** The snapshot takeSnapshot would build from this diff over this filesystem. */
export function snapshotOf(changes: readonly FsChange[], tree: Tree, ignore: (p: string) => boolean = () => false): Snapshot {
  const listings = new Map<string, DirListing>();
  for (const d of writeDirs(changes, ignore, isDirIn(tree))) listings.set(d, listingOf(tree, d));
  return { changes, listings };
}
