// Start-up benchmark: how long `ro-profile --help`, `ro-profile profile --help` and
// `ro-profile --version` (and a usage error) take, process spawn to exit, as a user's shell sees them. See bench/README.md.
//
//   npm run bench:help                          (builds, then runs this file)
//   node bench/help.mjs [N] [MAIN.js ...]       (default 20 runs of each; default dist/cli/main.js)
//
// Each extra MAIN.js (another build, e.g. of main before issue 19) is measured in the same
// interleaved rounds, so a loaded machine slows every candidate alike. `node -e 0` is measured too:
// the floor no CLI can go under on this machine at this moment.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const N = Number(process.argv[2] ?? 20);
if (!Number.isInteger(N) || N < 1) {
  console.error('usage: node bench/help.mjs [N >= 1] [MAIN.js ...]');
  process.exit(2);
}
const AIM_MS = 200;
const mains = process.argv.length > 3 ? process.argv.slice(3) : [fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))];
for (const m of mains) {
  if (!existsSync(m)) {
    console.error(`${m} is missing: run "npm run build" first`);
    process.exit(2);
  }
}

const cases = [
  { name: 'node -e 0', args: ['-e', '0'], status: 0 },
  ...mains.flatMap((m) => [
    { name: `${label(m)} --help`, args: [m, '--help'], status: 0 },
    { name: `${label(m)} profile --help`, args: [m, 'profile', '--help'], status: 0 },
    { name: `${label(m)} --version`, args: [m, '--version'], status: 0 },
    // A usage error: yargs refuses the flag, no command runs (exit 2).
    { name: `${label(m)} --no-such-flag`, args: [m, '--no-such-flag'], status: 2 },
  ]),
];

function label(m) {
  return mains.length === 1 ? 'ro-profile' : m;
}

// The CPU time of the children waited for (user + system), from /proc/self/stat (Linux; 10 ms
// ticks, so only its mean over the N runs is shown). Less moved by other load than the wall clock.
const TICK_MS = 10;
function childCpuMs() {
  if (!existsSync('/proc/self/stat')) return NaN;
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  // After the ") ": field 3 (state) is index 0, so cutime (16) and cstime (17) are 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) * TICK_MS;
}

function run(c) {
  const cpu = childCpuMs();
  const t = performance.now();
  const r = spawnSync(process.execPath, c.args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t;
  if (r.status !== c.status) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`);
  cpuMs.set(c.name, (cpuMs.get(c.name) ?? 0) + childCpuMs() - cpu);
  return ms;
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

// One warm-up round (the page cache, not the figures), then N rounds, each running every case once.
const cpuMs = new Map();
for (const c of cases) run(c);
cpuMs.clear();
const times = new Map(cases.map((c) => [c.name, []]));
for (let i = 0; i < N; i++) for (const c of cases) times.get(c.name).push(run(c));

let met = true;
for (const c of cases) {
  const s = times.get(c.name).sort((a, b) => a - b);
  const median = quantile(s, 0.5);
  const p90 = quantile(s, 0.9);
  if (c.args[0] !== '-e' && mains.indexOf(c.args[0]) === 0 && median >= AIM_MS) met = false;
  console.log(`${c.name}: median ${median.toFixed(0)} ms, p90 ${p90.toFixed(0)} ms, min ${s[0].toFixed(0)} ms, mean CPU ${(cpuMs.get(c.name) / N).toFixed(0)} ms (n=${N})`);
}
const load = existsSync('/proc/loadavg') ? `, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}` : '';
console.log(`summary: aim median < ${AIM_MS} ms for ${label(mains[0])}: ${met ? 'met' : 'NOT met'}; node ${process.version}, ${N} interleaved rounds${load}`);
