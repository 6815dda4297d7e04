// Benchmark of a directory listing: a synthetic tar stream of 200,000 entries (as Docker's
// archive API sends one directory) through listDir(), streamed, on one thread. No Docker.
// See bench/README.md.
//
//   npm run build && node --expose-gc bench/listing.mjs [ENTRIES]
//
// Prints the input, the listing's time and peak RSS with a scope and without, then a summary.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { pack } from 'tar-stream';
import { listDir, listingScope } from '../dist/harvest/listing.js';

const ENTRIES = Number(process.argv[2] ?? 200_000);
if (!Number.isInteger(ENTRIES) || ENTRIES < 1000) {
  console.error('usage: node bench/listing.mjs [ENTRIES >= 1000]');
  process.exit(2);
}

// The directory /srv/app/spool: 1,000 subdirectories of files; a tenth of them is what the app
// wrote (in the diff), the rest shipped and unchanged. Bodies are small but real (1 byte to
// 1.5 KiB), as they travel through the archive API.
const DIR = '/srv/app/spool';
const BASE = 'spool';
const subdirs = 1000;
const perDir = Math.ceil(ENTRIES / subdirs);
const changes = [{ kind: 'modified', path: DIR }];
const names = [];
for (let d = 0; d < subdirs && names.length < ENTRIES; d++) {
  const sub = `d${String(d).padStart(4, '0')}`;
  names.push({ name: `${BASE}/${sub}/`, type: 'directory', size: 0 });
  const written = d % 10 === 0;
  if (written) changes.push({ kind: 'added', path: `${DIR}/${sub}` });
  for (let i = 0; i < perDir - 1 && names.length < ENTRIES; i++) {
    const name = `${BASE}/${sub}/f${String(i).padStart(5, '0')}.dat`;
    names.push({ name, type: 'file', size: 1 + ((i * 37) % 1536) });
    if (written) changes.push({ kind: 'added', path: `${DIR}/${sub}/f${String(i).padStart(5, '0')}.dat` });
  }
}
const body = Buffer.alloc(1536, 0x61);

/** Writes the tar once to a file (setup, not timed); each listing then streams it from disk, as an HTTP body arrives. */
async function writeArchive(file) {
  const p = pack();
  const out = createWriteStream(file);
  const written = pipeline(p, out);
  const mtime = new Date(1_764_000_000_000);
  const wait = () => new Promise((resolve) => p.once('drain', resolve));
  p.entry({ name: `${BASE}/`, type: 'directory', mode: 0o755, uid: 1000, gid: 1000, mtime });
  for (const e of names) {
    const more = e.type === 'directory' ? p.entry({ name: e.name, type: 'directory', mode: 0o755, uid: 1000, gid: 1000, mtime }) : p.entry({ name: e.name, size: e.size, mode: 0o644, uid: 1000, gid: 1000, mtime }, body.subarray(0, e.size));
    if (more === false) await wait();
  }
  p.finalize();
  await written;
}

// The tar is written once per size and reused; the listing is measured in a fresh process, so
// its peak RSS is the listing's, not the writer's.
const file = join(tmpdir(), `ro-profile-listing-bench-${ENTRIES}.tar`);
if (!existsSync(file)) {
  const setupStart = performance.now();
  await writeArchive(`${file}.part`);
  renameSync(`${file}.part`, file);
  console.error(`wrote ${file} in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);
}
if (!process.argv.includes('--measure')) {
  const child = spawnSync(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname, String(ENTRIES), '--measure'], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}
const engine = { getArchive: async () => createReadStream(file, { highWaterMark: 64 * 1024 }) };

globalThis.gc?.();
const rssBefore = process.memoryUsage().rss / 2 ** 20;
const peak = () => Math.round(process.resourceUsage().maxRSS / 1024);
const scope = listingScope(changes);
// Scoped first (what takeSnapshot does), so its peak RSS is its own; then every entry kept (what restart-check does).
const t0 = performance.now();
const scoped = await listDir(engine, 'bench', DIR, scope);
const t1 = performance.now();
const peakScoped = peak();
const whole = await listDir(engine, 'bench', DIR);
const t2 = performance.now();
const peakWhole = peak();
const bytes = statSync(file).size;
const mbps = (ms) => Math.round(bytes / 1e6 / (ms / 1000));
console.log(`entries: ${names.length + 1} (${(bytes / 2 ** 20).toFixed(0)} MiB of tar, read from ${file})`);
console.log(`listDir, scoped to a diff of ${changes.length} paths: ${Math.round(t1 - t0)} ms (${mbps(t1 - t0)} MB/s), ${scoped.entries.size} kept, ${scoped.occupied?.size ?? 0} directories marked occupied, peak RSS ${peakScoped} MiB`);
console.log(`listDir, every entry kept: ${Math.round(t2 - t1)} ms (${mbps(t2 - t1)} MB/s), ${whole.entries.size} kept, peak RSS ${peakWhole} MiB`);
console.log(
  `summary: ${names.length + 1} entries in one directory, none left out: scoped in ${Math.round(t1 - t0)} ms (peak RSS ${peakScoped} MiB), ` +
    `whole in ${Math.round(t2 - t1)} ms (peak RSS ${peakWhole} MiB); ${Math.round(rssBefore)} MiB before listing; node ${process.version}`,
);
