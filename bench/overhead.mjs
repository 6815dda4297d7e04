#!/usr/bin/env node
// Overhead of `ro-profile IMAGE` over doing the same by hand with the docker CLI (issue 19).
// For each fixture image, interleaved, ROUNDS rounds of N times:
//   hand:     docker run -d, the tool's readiness wait (TCP connect to the container's port), the
//             same requests (the probe and the exercise profile's steps), docker diff, docker rm -fv;
//   tool:     node dist/cli/main.js IMAGE --no-verify --out TMP;
//   verified: node dist/cli/main.js IMAGE --out TMP (the first BENCH_VERIFY_N times of each round).
// Prints medians per image and round, the ratios, and the tool's own stage times (read from
// RO_PROFILE_STAGE_LOG). See bench/README.md. Needs the Docker engine and the fixture images
// (bash test/fixtures/images/build.sh), and a built dist/ (npm run build).
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);
const N = Number(process.env.BENCH_N ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const VERIFY_N = Number(process.env.BENCH_VERIFY_N ?? 3);
const CLI = resolve(root, process.env.BENCH_CLI ?? 'dist/cli/main.js');
// Another build to compare with, interleaved in the same rounds (e.g. main's dist, built elsewhere).
const BASE = process.env.BENCH_BASELINE_CLI ? resolve(root, process.env.BENCH_BASELINE_CLI) : undefined;
// The hand run polls as often as the tool does (src/pipeline/ready.ts POLL_MS).
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 25);
const SESSION = `bench-overhead-${process.pid}`;

// Each fixture: the port the tool probes, and the exercise profile it picks for the image (profiles/*.yaml).
const ALL = [
  { image: 'ro-profile-fixture/busybox-app', port: 8080 },
  { image: 'ro-profile-fixture/nginx', port: 80, profile: 'nginx' },
  { image: 'ro-profile-fixture/postgres', port: 5432, profile: 'postgres' },
];
const only = process.argv.slice(2);
const FIXTURES = ALL.filter((f) => only.length === 0 || only.some((o) => f.image.endsWith(o)));

const now = () => performance.now();
const median = (xs) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const docker = async (...args) => (await run('docker', args, { maxBuffer: 64 << 20 })).stdout;

/** The exercise profile's steps and env, as the tool reads them. */
function stepsOf(f) {
  if (!f.profile) return { steps: [], env: [] };
  const p = parse(readFileSync(join(root, 'profiles', `${f.profile}.yaml`), 'utf8'));
  const env = Object.entries(p.run?.env ?? {}).map(([k, v]) => `${k}=${typeof v === 'string' ? v : 'bench-generated'}`);
  return { steps: p.exercise ?? [], env };
}

function connect(host, port, timeoutMs) {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok) => (s.destroy(), clearTimeout(t), resolve(ok));
    const t = setTimeout(() => done(false), timeoutMs);
    s.once('error', () => done(false));
    s.connect(port, host, () => done(true));
  });
}

function http(host, port, method, path, bodyBytes) {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, method, path, agent: false, headers: bodyBytes ? { 'content-length': bodyBytes } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(bodyBytes ? Buffer.alloc(bodyBytes, 'x') : undefined);
  });
}

/** GET / HTTP/1.0 as the tool's probe sends it; undefined when the port does not speak HTTP. */
function probeHttp(host, port) {
  return new Promise((resolve) => {
    const s = new Socket();
    let buf = '';
    const done = (v) => (s.destroy(), clearTimeout(t), resolve(v));
    const t = setTimeout(() => done(undefined), 5000);
    s.on('data', (b) => {
      buf += b.toString('latin1');
      if (!buf.startsWith('HTTP/'.slice(0, buf.length))) done(undefined);
      else if (/\r\n\r\n/.test(buf) && /content-length:\s*(\d+)/i.test(buf)) done(buf);
    });
    s.once('end', () => done(buf.startsWith('HTTP/') ? buf : undefined));
    s.once('error', () => done(undefined));
    s.connect(port, host, () => s.write('GET / HTTP/1.0\r\nUser-Agent: ro-profile\r\nAccept: */*\r\n\r\n'));
  });
}

async function byHand(f) {
  const { steps, env } = stepsOf(f);
  const t = { start: now() };
  const args = ['run', '-d', '--label', `io.ro-profile.bench=${SESSION}`, '-p', `127.0.0.1::${f.port}`, '--memory', '1g', '--pids-limit', '512', '--security-opt', 'no-new-privileges'];
  for (const e of env) args.push('-e', e);
  const id = (await docker(...args, f.image)).trim();
  t.run = now();
  try {
    const ip = (await docker('inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', id)).trim();
    while (!(await connect(ip, f.port, 1000))) {
      if (now() - t.start > 120_000) throw new Error(`${f.image} not ready`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    t.ready = now();
    if ((await probeHttp(ip, f.port)) === undefined) await connect(ip, f.port, 2000);
    for (const s of steps) {
      if (s.http) {
        const st = await http(ip, s.http.port, s.http.method ?? 'GET', s.http.path ?? '/', s.http.body ?? 0);
        if (st !== s.http.status) throw new Error(`${f.image} ${s.http.path}: HTTP ${st}`);
      } else if (s.exec) await docker('exec', id, 'sh', '-c', s.exec);
    }
    t.request = now();
    await docker('diff', id);
    t.diff = now();
  } finally {
    await docker('rm', '-fv', id);
  }
  t.rm = now();
  return { total: t.rm - t.start, stages: { run: t.run - t.start, ready: t.ready - t.run, request: t.request - t.ready, diff: t.diff - t.request, rm: t.rm - t.diff } };
}

function tool(f, verify, cli = CLI) {
  const out = mkdtempSync(join(tmpdir(), 'ro-overhead-'));
  const log = join(out, 'stages.jsonl');
  const args = [cli, f.image, ...(verify ? [] : ['--no-verify']), '--out', join(out, 'out'), '--quiet'];
  const start = now();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { env: { ...process.env, RO_PROFILE_STAGE_LOG: log, RO_PROFILE_SESSION: SESSION }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (b) => (stderr += b));
    p.on('error', reject);
    p.on('close', (code) => {
      const total = now() - start;
      try {
        if (code !== 0) throw new Error(`${cli} ${f.image}${verify ? '' : ' --no-verify'} exited ${code}: ${stderr.trim().slice(-2000)}`);
        const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
        const stages = {};
        const timed = lines.filter((l) => l.ms !== undefined);
        // Before the first stage's clock started: Node's start-up and module loading.
        stages.startup = timed[0].atMs - timed[0].ms;
        for (const l of timed) stages[l.stage] = (stages[l.stage] ?? 0) + l.ms;
        const exit = lines.find((l) => l.stage === 'exit');
        stages.cleanup = exit.atMs - timed.at(-1).atMs;
        stages.process = total - exit.atMs;
        const h = createHash('sha256');
        for (const name of readdirSync(join(out, 'out')).sort()) h.update(name).update(readFileSync(join(out, 'out', name)));
        resolve({ total, stages, digest: h.digest('hex').slice(0, 12) });
      } catch (e) {
        reject(e);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  });
}

const fmt = (x) => (Number.isFinite(x) ? `${Math.round(x)}` : '-');
const stageLine = (runs) => {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.stages)))];
  return names.map((n) => `${n} ${fmt(median(runs.map((r) => r.stages[n] ?? 0)))}`).join(', ');
};

const { stdout: dv } = await run('docker', ['version', '-f', '{{.Server.Version}}']);
console.log(`node ${process.version}, docker ${dv.trim()}, N=${N} per round (verified: ${VERIFY_N}), ${ROUNDS} rounds, interleaved; cli ${CLI}${BASE ? `, baseline ${BASE}` : ''}`);
const MODES = ['tool', 'verified', ...(BASE ? ['base-tool', 'base-verified'] : [])];
const failures = [];
// A failed run is counted and said, not timed: the figures are of the runs that finished.
const timed = async (list, p) => {
  try {
    list.push(await p);
  } catch (e) {
    failures.push(e.message);
    console.log(`FAILED: ${e.message.split('\n').slice(0, 3).join(' | ')}`);
  }
};
const empty = () => Object.fromEntries(['hand', ...MODES].map((k) => [k, []]));
const all = new Map(FIXTURES.map((f) => [f.image, empty()]));
const report = (label, m) => {
  const h = median(m.hand.map((x) => x.total));
  const parts = MODES.filter((k) => m[k].length > 0).map((k) => {
    const t = median(m[k].map((x) => x.total));
    return `${k.replace('tool', 'tool --no-verify')} ${fmt(t)} ms (${(t / h).toFixed(2)}x, n=${m[k].length})`;
  });
  console.log(`${label}: hand ${fmt(h)} ms (n=${m.hand.length}), ${parts.join(', ')}`);
  console.log(`  hand stages: ${stageLine(m.hand)}`);
  for (const k of MODES) if (m[k].length > 0) console.log(`  ${k} stages: ${stageLine(m[k])}; outputs ${[...new Set(m[k].map((x) => x.digest))].join(' ')}`);
};
for (let r = 1; r <= ROUNDS; r++) {
  const round = new Map(FIXTURES.map((f) => [f.image, empty()]));
  for (let i = 0; i < N; i++) {
    for (const f of FIXTURES) {
      const m = round.get(f.image);
      await timed(m.hand, byHand(f));
      await timed(m.tool, tool(f, false));
      if (BASE) await timed(m['base-tool'], tool(f, false, BASE));
      if (i < VERIFY_N) {
        await timed(m.verified, tool(f, true));
        if (BASE) await timed(m['base-verified'], tool(f, true, BASE));
      }
    }
  }
  for (const f of FIXTURES) {
    const m = round.get(f.image);
    report(`round ${r} ${f.image}`, m);
    const a = all.get(f.image);
    for (const k of Object.keys(m)) a[k].push(...m[k]);
  }
}
console.log(`failed runs: ${failures.length}`);
for (const f of FIXTURES) report(`summary ${f.image} (aim: --no-verify <= 1.10x, verified <= 2.5x)`, all.get(f.image));
