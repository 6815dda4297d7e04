// Benchmark of the strace parser: a ~1 GB `strace -f -y -tt` log (no Docker), read and parsed on
// one thread. See bench/README.md.
//
//   npm run bench:strace                 (builds, then runs this file)
//   node bench/strace.mjs [MEGABYTES]    (default 1024)
//
// The log repeats the real captures in test/fixtures/strace/ (nginx, redis, postgres, all
// `-f -y/-yy -tt`), with the pids shifted on each repetition so that every copy is a fresh set of
// processes, as in a long trace. It is written once to /tmp and reused while its size matches.
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readStraceFiles } from '../dist/strace/read-strace.js';

const MEGABYTES = Number(process.argv[2] ?? 1024);
if (!Number.isFinite(MEGABYTES) || MEGABYTES < 1) {
  console.error('usage: node bench/strace.mjs [MEGABYTES >= 1]');
  process.exit(2);
}
const TARGET_BYTES = Math.round(MEGABYTES * 1024 * 1024);
const AIM_MB_S = 150;
const SOURCES = ['nginx.strace', 'redis.strace', 'postgres-full.strace'].map((f) =>
  readFileSync(new URL(`../test/fixtures/strace/${f}`, import.meta.url), 'utf8'),
);
const file = join(tmpdir(), `ro-profile-strace-bench-${MEGABYTES}.log`);

async function writeLog() {
  const out = createWriteStream(file);
  let written = 0;
  for (let round = 0; written < TARGET_BYTES; round++) {
    // Shift every pid (the leading column and the values clone returns) so each round is new processes.
    const shift = (round % 50) * 100_000;
    for (const text of SOURCES) {
      const chunk = shift === 0 ? text : text.replace(/^(\d+) /gm, (_m, pid) => `${Number(pid) + shift} `).replace(/(clone3?\(.*\) += )(\d+)/g, (_m, head, pid) => `${head}${Number(pid) + shift}`);
      written += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
}

if (!existsSync(file) || statSync(file).size < TARGET_BYTES) {
  const t = performance.now();
  await writeLog();
  console.error(`wrote ${file} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const bytes = statSync(file).size;
const started = performance.now();
const result = await readStraceFiles([file]);
const seconds = (performance.now() - started) / 1000;
const mb = bytes / 1e6;
const rate = mb / seconds;
const rssMiB = process.resourceUsage().maxRSS / 1024;
console.log(`input: ${(bytes / 1024 / 1024).toFixed(0)} MiB, ${result.stats.lines} lines`);
console.log(`parse: ${(seconds * 1000).toFixed(0)} ms`);
console.log(`throughput: ${rate.toFixed(0)} MB/s`);
console.log(`peak RSS: ${rssMiB.toFixed(0)} MiB`);
console.log(
  `summary: ${result.stats.lines} lines (${result.stats.parsed} parsed, ${result.stats.malformed} malformed) -> ${result.events.length} events in ${seconds.toFixed(2)} s, ` +
    `${rate.toFixed(0)} MB/s, peak RSS ${rssMiB.toFixed(0)} MiB; aim >= ${AIM_MB_S} MB/s: ${rate >= AIM_MB_S ? 'met' : 'NOT met'}; node ${process.version}`,
);
