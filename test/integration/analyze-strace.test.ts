import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ROOT, docker, dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';
import { eventually, httpStatus, removeVolumes, runPrintedLine, type StartedHardened } from '../helpers/hardened-run.js';

const TRACES = `${ROOT}test/fixtures/strace`;

/**
 * `analyze-strace` on real captures (test/fixtures/strace/README.md says how they were taken):
 * the image is read, never run, and the printed config runs the image read-only.
 */
describe.skipIf(!dockerAvailable())('analyze-strace on real traces', () => {
  const started: StartedHardened[] = [];
  const volumes: string[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.remove()));
    await removeVolumes(volumes.splice(0));
  });

  async function analyze(name: string, files: string[], image: string, format: string) {
    const session = testSession(`strace-${name}-${format}`);
    const r = await runCli(['analyze-strace', ...files, '--image', image, '--format', format, '-q'], { session });
    expect(r.code, r.stderr).toBe(0);
    expect(await leftovers(session)).toEqual([]);
    return { out: r.stdout, session };
  }

  it('nginx: finds the transient pid file and the log opened but never written, which docker diff misses', async () => {
    const { out } = await analyze('nginx', [`${TRACES}/nginx.strace`], 'ro-profile-fixture/nginx:latest', 'json');
    const result = JSON.parse(out);
    const ops = (p: string) => result.events.filter((e: { realPath: string }) => e.realPath === p).map((e: { op: string }) => e.op);
    expect(ops('/run/nginx.pid')).toEqual(expect.arrayContaining(['add', 'delete']));
    expect(ops('/var/log/nginx/error.log')).toContain('modify');
    expect(result.exercise.readiness).toBe('trace');
    expect(result.plan.mounts.map((m: { path: string; kind: string }) => [m.path, m.kind])).toEqual([
      ['/run', 'tmpfs'],
      ['/var/lib/nginx', 'tmpfs'],
      ['/var/log/nginx', 'tmpfs'],
    ]);
  });

  it('the -ff per-process files give the same mounts as the -f log', async () => {
    const ff = await analyze('nginx-ff', ['nginx-ff/trace.6006', 'nginx-ff/trace.6061', 'nginx-ff/trace.6062'].map((f) => `${TRACES}/${f}`), 'ro-profile-fixture/nginx:latest', 'run');
    const f = await analyze('nginx-f', [`${TRACES}/nginx.strace`], 'ro-profile-fixture/nginx:latest', 'run');
    expect(ff.out).toBe(f.out);
  });

  it.each([
    ['nginx', 'nginx.strace', 80, [['/run', 'tmpfs'], ['/var/lib/nginx', 'tmpfs'], ['/var/log/nginx', 'tmpfs']]],
    // temp-1.rdb renamed to dump.rdb: the whole directory, as data.
    ['redis', 'redis.strace', 6379, [['/var/lib/redis', 'volume']]],
    // The socket directory (reached through /var/run) and one volume for the whole data directory.
    ['postgres', 'postgres-full.strace', 5432, [['/run/postgresql', 'tmpfs'], ['/var/lib/postgresql/data', 'volume']]],
  ])('%s: the mounts its trace needs, and the run line runs the image read-only', async (name, file, port, expected) => {
    const { out: json, session } = await analyze(name, [`${TRACES}/${file}`], `ro-profile-fixture/${name}:latest`, 'json');
    const result = JSON.parse(json);
    expect(result.plan.mounts.map((m: { path: string; kind: string }) => [m.path, m.kind])).toEqual(expected);
    volumes.push(...result.plan.mounts.map((m: { volumeName?: string }) => m.volumeName).filter(Boolean));
    await removeVolumes(volumes);
    const dir = mkdtempSync(join(tmpdir(), 'ro-profile-trace-'));
    try {
      writeFileSync(join(dir, 'result.json'), json);
      const line = await runCli(['emit', join(dir, 'result.json')], { session });
      expect(line.code, line.stderr).toBe(0);
      const c = await runPrintedLine(line.stdout, session);
      started.push(c);
      if (name === 'nginx') expect(await eventually(async () => (await httpStatus(c.ip, port)) === 200)).toBe(true);
      if (name === 'redis') {
        await eventually(async () => (await c.exec(['redis-cli', 'PING'])).output.includes('PONG'));
        expect((await c.exec(['redis-cli', 'SAVE'])).output).toContain('OK');
      }
      if (name === 'postgres') {
        const q = await eventually(async () => {
          const r = await c.exec(['psql', '-U', 'postgres', '-c', 'create table u(x int); insert into u values (1)']);
          return r.exitCode === 0 ? r : undefined;
        }, 30_000);
        expect(q.output).toContain('INSERT 0 1');
      }
      expect(await c.logs()).not.toMatch(/read-only file system|EROFS|permission denied/i);
      expect((await docker.getContainer(c.id).inspect()).HostConfig.ReadonlyRootfs).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(['run', 'compose', 'k8s', 'report'])('every format works from a trace: %s', async (format) => {
    const { out } = await analyze('redis-formats', [`${TRACES}/redis.strace`], 'ro-profile-fixture/redis:latest', format);
    expect(out).toContain('/var/lib/redis');
    if (format === 'compose' || format === 'k8s') expect(() => YAML.parse(out)).not.toThrow();
  });

  it('a file that is not strace output is a usage error (exit 2) that says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ro-profile-notstrace-'));
    try {
      const f = join(dir, 'notes.txt');
      writeFileSync(f, 'hello\nthis is not strace\n'.repeat(300));
      const r = await runCli(['analyze-strace', f, '--image', 'ro-profile-fixture/nginx:latest'], { session: testSession('not-strace') });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(f);
      expect(r.stderr).toMatch(/hint: .*strace -f -y/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
