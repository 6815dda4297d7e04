// Benchmark of the strace parser: a ~1 GB `strace -f -y -tt` log (no Docker), read and parsed on
// one thread, next to the same file merely split into lines (the floor on this machine, measured
// in the same run so that both see the same machine state). See bench/README.md.
//
//   npm run bench:strace                 (builds, then runs this file)
//   node bench/strace.mjs [MEGABYTES]    (default 1024)
//   node bench/strace.mjs 256 --unique-paths
//
// The log repeats the real captures in test/fixtures/strace/ (nginx, redis, postgres, all
// `-f -y/-yy -tt`), with the pids shifted on each repetition so that every copy is a fresh set of
// processes, as in a long trace. It is written once to /tmp and reused while its size matches.
// With --unique-paths each repetition also makes one directory of a new name, so new events keep
// coming through the whole trace (a test that memory does not grow with what is kept of it).
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CHUNK_BYTES, readLines, readStraceFiles } from '../dist/strace/read-strace.js';

const UNIQUE = process.argv.includes('--unique-paths');
const MEGABYTES = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 1024);
if (!Number.isFinite(MEGABYTES) || MEGABYTES < 1) {
  console.error('usage: node bench/strace.mjs [MEGABYTES >= 1] [--unique-paths]');
  process.exit(2);
}
const TARGET_BYTES = Math.round(MEGABYTES * 1024 * 1024);
const AIM_MB_S = 250;
const SOURCES = ['nginx.strace', 'redis.strace', 'postgres-full.strace'].map((f) =>
  readFileSync(new URL(`../test/fixtures/strace/${f}`, import.meta.url), 'utf8'),
);
const file = join(tmpdir(), `ro-profile-strace-bench-${MEGABYTES}${UNIQUE ? '-unique' : ''}.log`);

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
    if (UNIQUE) {
      const line = `99 20:26:00.000000 mkdir("/var/tmp/unique-directory-${round}", 0700) = 0\n`;
      written += line.length;
      out.write(line);
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
const mb = bytes / 1e6;
const MiB = 1024 * 1024;

/** Wall and CPU (user + system) seconds of `run`. */
async function timed(run) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, wall: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 };
}

// The floor: the same reads and the same line cutting as the parser's, with nothing done per line.
const split = await timed(async () => {
  let lines = 0;
  await readLines(file, Buffer.allocUnsafe(CHUNK_BYTES), () => void lines++);
  return lines;
});

// RSS as the parse passes each quarter of the file: flat memory means these stay level.
const marks = [0.25, 0.5, 0.75, 1];
const rssAt = [];
let read = 0;
const onRead = (n) => {
  read += n;
  while (rssAt.length < marks.length && read >= marks[rssAt.length] * bytes) rssAt.push(process.memoryUsage.rss() / MiB);
};
const parse = await timed(() => readStraceFiles([file], { onRead }));
const result = parse.value;
const rate = mb / parse.wall;
const cpuRate = mb / parse.cpu;
const splitRate = mb / split.wall;
const peakMiB = process.resourceUsage().maxRSS / 1024;
const rss = rssAt.map((r) => r.toFixed(0)).join(' / ');
console.log(`input: ${(bytes / MiB).toFixed(0)} MiB, ${result.stats.lines} lines`);
console.log(`split only: ${(split.wall * 1000).toFixed(0)} ms, ${splitRate.toFixed(0)} MB/s (${(mb / split.cpu).toFixed(0)} MB/s of CPU time)`);
console.log(`parse: ${(parse.wall * 1000).toFixed(0)} ms (${(parse.cpu * 1000).toFixed(0)} ms CPU)`);
console.log(`throughput: ${rate.toFixed(0)} MB/s (${cpuRate.toFixed(0)} MB/s of CPU time), ${((100 * rate) / splitRate).toFixed(0)}% of split only`);
console.log(`RSS at 25/50/75/100%: ${rss} MiB`);
console.log(`peak RSS: ${peakMiB.toFixed(0)} MiB`);
console.log(
  `summary: ${result.stats.lines} lines (${result.stats.parsed} parsed, ${result.stats.malformed} malformed) -> ${result.events.length} events in ${parse.wall.toFixed(2)} s, ` +
    `${rate.toFixed(0)} MB/s (split only ${splitRate.toFixed(0)} MB/s), RSS ${rss} MiB, peak ${peakMiB.toFixed(0)} MiB; ` +
    `aim >= ${AIM_MB_S} MB/s: ${rate >= AIM_MB_S ? 'met' : 'NOT met'}; node ${process.version}`,
);
