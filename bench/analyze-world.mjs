// The synthetic container of bench/analyze.mjs: what the image ships and what the app did, as
// `docker diff` shows it and as its archive listings would read. Deterministic (fixed seed).
// See bench/README.md.

/** Files in the declared volume. */
export const VOLUME_FILES = 5000;

export const STARTED_AT_MS = 1_764_000_000_000;
export const IMAGE_MTIME_MS = STARTED_AT_MS - 86_400_000;
const APP = { uid: 1000, gid: 1000 };
const ROOT = { uid: 0, gid: 0 };
const MAGIC = {
  sqlite: Buffer.from('SQLite format 3\0', 'latin1'),
  wal: Buffer.from([0x37, 0x7f, 0x06, 0x82, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
};

// ---------------------------------------------------------------------------------------------
// The synthetic container: what the image ships and what the app did, as docker diff shows it.
// ---------------------------------------------------------------------------------------------

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20261125);
const hex = (n) => {
  let s = '';
  while (s.length < n) s += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, n);
};
const hex2 = (i) => i.toString(16).padStart(2, '0');

/**
 * The world: `changes` is the diff after stop; `transient` paths were added and gone again
 * (they show in the diff taken while running only); `late` paths were written after the
 * running diff was taken. `meta` holds what a listing says about each path it may read.
 */
export function buildWorld(n) {
  const scale = n / 1_000_000;
  const count = (k) => Math.max(1, Math.round(k * scale));
  /** @type {{kind: 'added'|'modified'|'deleted', path: string}[]} */
  const changes = [];
  const transient = [];
  const late = new Set();
  /** Everything a listing may show: path -> [type, owner, mode, size, head?] (compact). */
  const meta = new Map();
  const shippedDeleted = new Set();

  const dir = (path, owner = ROOT, mode = 0o755) => meta.set(path, ['dir', owner, mode, 4096]);
  const file = (path, owner, size, mode = 0o644, head) => meta.set(path, ['file', owner, mode, size, head]);
  const added = (path) => changes.push({ kind: 'added', path });
  const modified = (path) => changes.push({ kind: 'modified', path });
  const deleted = (path) => changes.push({ kind: 'deleted', path });

  // The image: directories that exist before the app starts.
  for (const d of ['/srv', '/srv/app', '/srv/app/bin', '/srv/app/static', '/srv/app/static/css', '/srv/app/static/js', '/srv/app/static/legacy', '/home', '/var', '/var/lib', '/var/log', '/run', '/run/lock', '/etc', '/etc/app', '/usr', '/usr/local', '/usr/local/lib', '/usr/local/lib/python3.11', '/usr/local/lib/python3.11/site-packages']) dir(d);
  for (const d of ['/srv/app/cache', '/srv/app/data', '/home/app', '/var/log/app', '/var/log/app/archive', '/var/lib/app', '/var/lib/app/blobs']) dir(d, APP);
  dir('/tmp', ROOT, 0o1777);
  file('/srv/app/bin/serve', ROOT, 8_400_000, 0o755);
  file('/home/app/.bashrc', APP, 3526);
  file('/home/app/.profile', APP, 807);
  file('/var/log/app/current.log', APP, 0);
  file('/var/lib/app/state.json', APP, 2);
  file('/etc/app/app.conf', ROOT, 1200);
  file('/etc/passwd', ROOT, 922);
  const cssCount = count(500);
  for (let i = 0; i < cssCount; i++) file(`/srv/app/static/css/style-${i}.css`, ROOT, 12_000);

  // /srv/app/cache (ships empty): a two-level hashed tree the app creates, ~375k files.
  const L1 = Math.min(256, Math.max(4, Math.round(256 * Math.sqrt(scale))));
  const cacheLeaves = [];
  for (let a = 0; a < L1; a++) {
    const d1 = `/srv/app/cache/${hex2(a)}`;
    added(d1);
    dir(d1, APP);
    for (let b = 0; b < 16; b++) {
      const d2 = `${d1}/${b.toString(16)}`;
      added(d2);
      dir(d2, APP);
      cacheLeaves.push(d2);
    }
  }
  modified('/srv/app/cache');
  const cacheFiles = count(375_000);
  for (let i = 0; i < cacheFiles; i++) {
    const p = `${cacheLeaves[i % cacheLeaves.length]}/${hex(38)}.bin`;
    added(p);
    file(p, APP, 512 + (i % 60_000));
  }

  // /srv/app/uploads (not in the image): a dated tree, ~250k files; the last 2% came late.
  added('/srv/app/uploads');
  dir('/srv/app/uploads', APP);
  const days = [];
  for (const y of [2025, 2026]) {
    added(`/srv/app/uploads/${y}`);
    dir(`/srv/app/uploads/${y}`, APP);
    for (let m = 1; m <= 12; m++) {
      const dm = `/srv/app/uploads/${y}/${String(m).padStart(2, '0')}`;
      added(dm);
      dir(dm, APP);
      for (let d = 1; d <= 28; d++) {
        const dd = `${dm}/${String(d).padStart(2, '0')}`;
        added(dd);
        dir(dd, APP);
        days.push(dd);
      }
    }
  }
  const uploads = count(249_300);
  for (let i = 0; i < uploads; i++) {
    const p = `${days[Math.floor((i * days.length) / uploads)]}/${hex(8)}-${hex(4)}-${hex(4)}-${hex(12)}.jpg`;
    added(p);
    file(p, APP, 40_000 + (i % 900_000));
    if (i >= uploads * 0.98) late.add(p);
  }

  // /home/app/.npm (created): npm's content cache, ~150k files, and its debug logs.
  modified('/home');
  modified('/home/app');
  for (const d of ['.npm', '.npm/_cacache', '.npm/_cacache/content-v2', '.npm/_cacache/content-v2/sha512', '.npm/_logs']) {
    added(`/home/app/${d}`);
    dir(`/home/app/${d}`, APP);
  }
  const npmLeaves = [];
  for (let a = 0; a < L1; a++) {
    const d1 = `/home/app/.npm/_cacache/content-v2/sha512/${hex2(a)}`;
    added(d1);
    dir(d1, APP);
    for (let b = 0; b < 16; b++) {
      const d2 = `${d1}/${hex2(b * 16 + a % 16)}`;
      added(d2);
      dir(d2, APP);
      npmLeaves.push(d2);
    }
  }
  const npmFiles = count(145_000);
  for (let i = 0; i < npmFiles; i++) {
    const p = `${npmLeaves[i % npmLeaves.length]}/${hex(124)}`;
    added(p);
    file(p, APP, 2_000 + (i % 200_000));
  }
  for (let i = 0; i < count(200); i++) {
    const p = `/home/app/.npm/_logs/2026-11-25T10_${String(i).padStart(5, '0')}Z-debug-0.log`;
    added(p);
    file(p, APP, 4_000);
  }

  // /tmp: sessions that stay, and uploads in progress that were gone at stop (transient).
  modified('/tmp');
  for (let i = 0; i < count(60_000); i++) {
    const p = `/tmp/sess_${hex(26)}`;
    added(p);
    file(p, APP, 300, 0o600);
  }
  for (let i = 0; i < count(20_000); i++) {
    const p = `/tmp/upload-${i}.tmp`;
    transient.push(p);
    file(p, APP, 65_536, 0o600);
  }

  // /var/log/app: rotated logs, and the shipped current.log written to.
  modified('/var');
  modified('/var/log');
  modified('/var/log/app');
  modified('/var/log/app/current.log');
  meta.get('/var/log/app/current.log')[3] = 1_048_576;
  for (let i = 1; i <= count(50_000); i++) {
    const p = `/var/log/app/app.log.${i}`;
    added(p);
    file(p, APP, 1_048_576);
  }

  // /srv/app/data (ships empty): one SQLite database per tenant, some with WAL and SHM.
  modified('/srv/app/data');
  added('/srv/app/data/tenants');
  dir('/srv/app/data/tenants', APP);
  const tenants = count(5_000);
  for (let i = 0; i < tenants; i++) {
    const base = `/srv/app/data/tenants/tenant-${String(i).padStart(5, '0')}.db`;
    added(base);
    file(base, APP, 8192 * (1 + (i % 50)), 0o644, MAGIC.sqlite);
    if (i % 5 < 2) {
      added(`${base}-shm`);
      file(`${base}-shm`, APP, 32_768);
      added(`${base}-wal`);
      file(`${base}-wal`, APP, 4_152_832, 0o644, MAGIC.wal);
    }
  }

  // /srv/app/static: shipped bundles rewritten in place at start, a legacy tree removed.
  modified('/srv');
  modified('/srv/app');
  modified('/srv/app/static');
  modified('/srv/app/static/js');
  for (let i = 0; i < count(30_000); i++) {
    const p = `/srv/app/static/js/chunk-${String(i).padStart(5, '0')}.js`;
    modified(p);
    file(p, ROOT, 20_000);
  }
  modified('/srv/app/static/legacy');
  for (let i = 0; i < count(20_000); i++) {
    const p = `/srv/app/static/legacy/page-${String(i).padStart(5, '0')}.html`;
    deleted(p);
    shippedDeleted.add(p);
  }

  // Python writes bytecode next to the packages it imports (site-packages is in the image).
  for (const d of ['/usr', '/usr/local', '/usr/local/lib', '/usr/local/lib/python3.11', '/usr/local/lib/python3.11/site-packages']) modified(d);
  const packages = Math.max(1, Math.round(50 * Math.sqrt(scale)));
  const pycPer = Math.max(1, Math.round(count(5_500) / packages) - 1);
  for (let k = 0; k < packages; k++) {
    const pkg = `/usr/local/lib/python3.11/site-packages/pkg${String(k).padStart(3, '0')}`;
    dir(pkg);
    file(`${pkg}/__init__.py`, ROOT, 1_000);
    modified(pkg);
    added(`${pkg}/__pycache__`);
    dir(`${pkg}/__pycache__`);
    for (let i = 0; i < pycPer; i++) {
      const p = `${pkg}/__pycache__/mod${i}.cpython-311.pyc`;
      added(p);
      file(p, ROOT, 6_000);
    }
  }

  // Straight into system trees, and small things in /etc and /run.
  modified('/etc');
  modified('/etc/passwd');
  modified('/etc/app');
  added('/etc/app/generated.conf');
  file('/etc/app/generated.conf', ROOT, 400);
  modified('/run');
  added('/run/app.pid');
  file('/run/app.pid', APP, 5);
  for (let i = 0; i < count(100); i++) {
    const p = `/run/worker-${i}.sock`;
    transient.push(p);
    meta.set(p, ['other', APP, 0o755, 0]);
  }

  // /var/lib/app: a queue directory the app creates; it fills the diff to exactly n entries.
  modified('/var/lib');
  modified('/var/lib/app');
  added('/var/lib/app/queue');
  dir('/var/lib/app/queue', APP);
  for (let i = 0; changes.length < n; i++) {
    const p = `/var/lib/app/queue/${String(i).padStart(7, '0')}.msg`;
    added(p);
    file(p, APP, 700);
  }

  // The declared volume /var/lib/app/blobs: its content is read by mtime, never diffed.
  const blobs = new Map();
  blobs.set('/var/lib/app/blobs', entryOf(['dir', APP, 0o755, 4096], STARTED_AT_MS + 5_000));
  for (let i = 0; i < VOLUME_FILES - 1; i++) {
    const p = `/var/lib/app/blobs/${hex(40)}`;
    blobs.set(p, entryOf(['file', APP, 0o644, 100_000], i % 10 === 0 ? IMAGE_MTIME_MS : STARTED_AT_MS + 10_000));
  }
  return { changes: changes.slice(0, n), transient, late, meta, shippedDeleted, volumes: [{ destination: '/var/lib/app/blobs', entries: blobs }] };
}

/** An entry's header as scanArchive gives it (its archive name apart). */
export function entryOf(m, mtimeMs) {
  const [type, owner, mode, size, head] = m;
  return {
    type,
    size: type === 'file' ? size : 0,
    uid: owner.uid,
    gid: owner.gid,
    mode,
    mtimeMs,
    ...(head ? { head } : {}),
  };
}
