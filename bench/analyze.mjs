// Benchmark of the analysis: a synthetic `docker diff` of 1,000,000 entries (no Docker)
// through harvest() and planMounts(), on one thread. See bench/README.md.
//
//   npm run bench                                  (builds, then runs this file)
//   node --single-threaded --expose-gc --max-old-space-size=4096 bench/analyze.mjs [ENTRIES]
//
// Prints one line per figure (entries, harvest, planMounts, total, peak RSS), then a summary.
import { performance } from 'node:perf_hooks';
import { planMounts } from '../dist/analyze/plan-mounts.js';
import { harvest } from '../dist/harvest/harvest.js';
import { listingCollector, listingScope } from '../dist/harvest/listing.js';
import { modifiedLeaves, readWithin, writeDirs } from '../dist/harvest/snapshot.js';
import { mountPointFilter } from '../dist/pipeline/user-volumes.js';
import { IMAGE_MTIME_MS, STARTED_AT_MS, buildWorld, entryOf } from './analyze-world.mjs';

const ENTRIES = Number(process.argv[2] ?? 1_000_000);
if (!Number.isInteger(ENTRIES) || ENTRIES < 10_000) {
  console.error('usage: node bench/analyze.mjs [ENTRIES >= 10000]');
  process.exit(2);
}
/** Budget: the analysis of 1,000,000 entries in under 1 s and 1 GiB. */
const AIM_MS = 1000;
const AIM_MIB = 1024;

/**
 * The listings takeSnapshot would read for one diff: writeDirs() picks the directories, and each
 * is read whole as Docker's archive API streams it (the directory, then its tree in walk order)
 * through the same collector listDir() uses, scoped to the diff (listingScope()).
 */
function listingsFor(changes, world, walkOrder, exists) {
  const leavesThatAreDirs = new Set(modifiedLeaves(changes, ignore).filter((p) => world.meta.get(p)?.[0] === 'dir'));
  const scope = listingScope(changes);
  const listings = new Map();
  const read = [];
  for (const d of writeDirs(changes, ignore, (p) => leavesThatAreDirs.has(p))) {
    // As takeSnapshot: a directory inside one read already is not read again.
    if (readWithin(d, read, scope)) {
      listings.set(d, { entries: new Map() });
      continue;
    }
    read.push(d);
    const c = listingCollector(d, scope);
    const selfMeta = world.meta.get(d);
    if (selfMeta) c.add(entryOf(selfMeta, IMAGE_MTIME_MS), d.slice(d.lastIndexOf('/') + 1));
    const key = `${d.replaceAll('/', '\u0001')}\u0001`;
    for (let i = lowerBound(walkOrder, key); i < walkOrder.length && walkOrder[i].key.startsWith(key); i++) {
      const { path } = walkOrder[i];
      if (!exists(path)) continue;
      const name = path.slice(d.lastIndexOf('/') + 1);
      // Only a kept entry is built in full, as listDir reads only a kept file's head.
      if (c.keeps(name)) c.add(entryOf(world.meta.get(path), STARTED_AT_MS + 1_000), name);
    }
    listings.set(d, c.done());
  }
  return listings;
}

function lowerBound(sorted, key) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// Two processes: this one builds the input and hands it over in a file; a fresh one loads it and
// runs the analysis, so its peak RSS is the input plus the analysis, not the generator's garbage.
// ---------------------------------------------------------------------------------------------

const USER_MOUNTS = ['/srv/app/config'];
const IMAGE = {
  ref: 'bench/app:1',
  id: `sha256:${'1'.repeat(64)}`,
  repoDigests: [],
  user: 'app',
  entrypoint: [],
  cmd: ['/srv/app/bin/serve'],
  env: [],
  workingDir: '/srv/app',
  exposedPorts: [{ port: 8080, protocol: 'tcp' }],
  volumes: ['/var/lib/app/blobs'],
  stopSignal: 'SIGTERM',
  os: 'linux',
  architecture: 'amd64',
};
const SYMLINKS = [
  { path: '/var/lock', target: '/run/lock' },
  { path: '/var/run', target: '/run' },
];
// What profile.ts ignores: the user's mount points and the declared volumes.
const ignore = mountPointFilter([...USER_MOUNTS, ...IMAGE.volumes]);

const inputFlag = process.argv.indexOf('--input');
if (inputFlag >= 0) await measure(process.argv[inputFlag + 1]);
else if (process.env['BENCH_INPUT'] && (await import('node:fs')).existsSync(process.env['BENCH_INPUT'])) await measureKept(process.env['BENCH_INPUT']);
else await prepare();

/** BENCH_INPUT=FILE: the input built once is kept there and measured again by the next runs (setup is most of a run). */
async function measureKept(file) {
  const { spawnSync } = await import('node:child_process');
  const child = spawnSync(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname, String(ENTRIES), '--input', file, '--setup-ms', '0'], { stdio: 'inherit' });
  process.exitCode = child.status ?? 1;
}

async function prepare() {
  const { spawnSync } = await import('node:child_process');
  const { closeSync, mkdtempSync, openSync, rmSync, writeSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { serialize } = await import('node:v8');

  const setupStart = performance.now();
  const world = buildWorld(ENTRIES);
  // Docker's archive walks each directory's names in byte order, depth first: "/" sorts first.
  const walkOrder = [...world.meta.keys()]
    .filter((p) => !world.shippedDeleted.has(p))
    .map((path) => ({ key: path.replaceAll('/', '\u0001'), path }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const transientSet = new Set(world.transient);
  const runningChanges = [...world.changes.filter((c) => !world.late.has(c.path)), ...world.transient.map((path) => ({ kind: 'added', path }))].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  const input = {
    running: { changes: runningChanges, listings: listingsFor(runningChanges, world, walkOrder, (p) => !world.late.has(p)) },
    stopped: { changes: world.changes, listings: listingsFor(world.changes, world, walkOrder, (p) => !transientSet.has(p)) },
    volumes: world.volumes,
  };
  const dir = mkdtempSync(join(tmpdir(), 'ro-profile-bench-'));
  const file = process.env['BENCH_INPUT'] || join(dir, 'input.v8');
  try {
    // In pieces (each diff, each listing), so that loading never holds the whole input twice:
    // the measuring process's peak RSS is then the input and the analysis, not the file.
    const fd = openSync(file, 'w');
    const put = (value) => {
      const body = serialize(value);
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(body.length));
      writeSync(fd, len);
      writeSync(fd, body);
    };
    put({ volumes: input.volumes, running: input.running.listings.size, stopped: input.stopped.listings.size });
    for (const snap of [input.running, input.stopped]) {
      put(snap.changes);
      for (const entry of snap.listings) put(entry);
    }
    closeSync(fd);
    const setupMs = performance.now() - setupStart;
    const child = spawnSync(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname, String(ENTRIES), '--input', file, '--setup-ms', String(Math.round(setupMs))], {
      stdio: 'inherit',
    });
    process.exitCode = child.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(file) {
  const { closeSync, openSync, readSync } = await import('node:fs');
  const { deserialize } = await import('node:v8');
  const setupMs = Number(process.argv[process.argv.indexOf('--setup-ms') + 1]);
  const loadStart = performance.now();
  // Every string and object is fresh here, as when engine.diff() parses the engine's JSON.
  const fd = openSync(file, 'r');
  let at = 0;
  const take = () => {
    const len = Buffer.alloc(8);
    readSync(fd, len, 0, 8, at);
    const body = Buffer.alloc(Number(len.readBigUInt64LE()));
    readSync(fd, body, 0, body.length, at + 8);
    at += 8 + body.length;
    return deserialize(body);
  };
  const head = take();
  const snapshot = (listings) => ({ changes: take(), listings: new Map(Array.from({ length: listings }, take)) });
  const running = snapshot(head.running);
  const stopped = snapshot(head.stopped);
  const { volumes } = head;
  closeSync(fd);
  const loadMs = performance.now() - loadStart;
  globalThis.gc?.();
  const rssLoaded = process.memoryUsage().rss / 2 ** 20;
  const listed = stopped.listings.size + running.listings.size;

  const t0 = performance.now();
  const h = harvest({ running, stopped, ignore, volumes, startedAtMs: STARTED_AT_MS, symlinks: SYMLINKS });
  const t1 = performance.now();
  const analysis = planMounts({ image: IMAGE, events: h.events, fs: h.fs, userMounts: USER_MOUNTS, persist: [], ephemeral: [] });
  const t2 = performance.now();
  const peakMiB = process.resourceUsage().maxRSS / 1024;

  const totalMs = t2 - t0;
  const ms = (x) => `${Math.round(x)} ms`;
  console.log(`entries: ${stopped.changes.length}`);
  console.log(`harvest: ${ms(t1 - t0)}`);
  console.log(`planMounts: ${ms(t2 - t1)}`);
  console.log(`total: ${ms(totalMs)}`);
  console.log(`peak RSS: ${Math.round(peakMiB)} MiB`);
  const met = totalMs < AIM_MS && peakMiB < AIM_MIB;
  console.log(
    `summary: ${stopped.changes.length} diff entries (${running.changes.length} while running, ${listed} listings) -> ` +
      `${h.events.length} events, ${analysis.plan.mounts.length} mounts, ${analysis.findings.length} findings in ${(totalMs / 1000).toFixed(2)} s, ` +
      `peak RSS ${Math.round(peakMiB)} MiB (${Math.round(rssLoaded)} MiB with the input loaded); ` +
      `aim < ${AIM_MS / 1000} s and < ${AIM_MIB} MiB: ${met ? 'met' : 'NOT met'}; ` +
      `node ${process.version} ${process.execArgv.join(' ') || '(no flags)'}; setup ${setupMs > 0 ? `${(setupMs / 1000).toFixed(1)} s` : 'reused (BENCH_INPUT)'}, load ${(loadMs / 1000).toFixed(1)} s`,
  );
  if (process.env['BENCH_VERBOSE']) {
    for (const m of analysis.plan.mounts) console.error(`mount ${m.kind} ${m.path} covers ${m.coversCount}, ${m.observedBytes} bytes`);
    for (const f of analysis.findings) console.error(`finding ${f.severity} ${f.kind} ${f.path}`);
  }
}
