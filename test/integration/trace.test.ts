import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { FIXTURE, docker, dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';
import { eventually, httpStatus, removeVolumes, runPrintedLine, volumeNamesOf, type StartedHardened } from '../helpers/hardened-run.js';

/**
 * `--tracer strace` on a real engine: the tracer image built by the tool from the fixture base,
 * both capture methods, writes that only a trace can see, and the configs run read-only.
 */
const TRACE = ['--tracer', 'strace', '--tracer-base', FIXTURE.base];
const TRACE_APP = 'ro-profile-fixture/trace-app:latest';
const NO_SHELL = 'ro-profile-fixture/no-shell:latest';
/** A shipped file the --exec step opens for appending and leaves unchanged. */
const OPEN_UNCHANGED = ': >> /var/lib/trace-app/state';

type Key = `${string} ${string} ${string}`;
const keysOf = (r: Result): Set<Key> => new Set(r.events.map((e) => `${e.source} ${e.op} ${e.realPath}` as Key));
const mountsOf = (r: Result) => new Map(r.plan.mounts.map((m) => [m.path, m]));

async function profile(name: string, args: string[]): Promise<Result> {
  const session = testSession(name);
  const r = await runCli([...args, '--format', 'json'], { session });
  expect(r.code, r.stderr).toBe(0);
  expect(await leftovers(session)).toEqual([]);
  return JSON.parse(r.stdout) as Result;
}

/** `ro-profile emit` of a saved result, as a user re-emitting it would. */
async function emitRun(name: string, result: Result, format = 'run'): Promise<string> {
  const dir = mkdtempSync('/tmp/ro-profile-trace-test-');
  try {
    writeFileSync(`${dir}/result.json`, JSON.stringify(result));
    const r = await runCli(['emit', `${dir}/result.json`, '--format', format], { session: testSession(name) });
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function exitedWith(c: StartedHardened): Promise<{ code: number; logs: string }> {
  const info = await eventually(async () => {
    const i = await docker.getContainer(c.id).inspect();
    return i.State.Running ? undefined : i;
  });
  return { code: info.State.ExitCode, logs: await c.logs() };
}

describe.skipIf(!dockerAvailable())('--tracer strace', () => {
  const started: StartedHardened[] = [];
  const volumes: string[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.remove()));
    await removeVolumes(volumes.splice(0));
  });

  async function start(name: string, line: string): Promise<StartedHardened> {
    const c = await runPrintedLine(line, testSession(name));
    started.push(c);
    return c;
  }

  it('nginx with no request: the diff misses its logs, the trace finds them, and the traced config serves read-only', async () => {
    // What the diff alone gives (verification would repair it from the crash: see verify.test.ts).
    const plain = await profile('nginx-plain', [FIXTURE.nginx, '--no-probe', '--no-verify']);
    expect(mountsOf(plain).has('/var/log/nginx')).toBe(false);

    const traced = await profile('nginx-traced', [FIXTURE.nginx, '--no-probe', ...TRACE]);
    const keys = keysOf(traced);
    // nginx opens both logs at start and writes neither without a request: only the trace sees it.
    expect(keys).toContain('strace modify /var/log/nginx/error.log');
    expect(keys).toContain('strace modify /var/log/nginx/access.log');
    expect([...keys].filter((k) => k.startsWith('diff ') && k.includes('/var/log/nginx'))).toEqual([]);
    // The pid file lives only while nginx runs: created at start, removed at stop.
    expect(keys).toContain('strace add /run/nginx.pid');
    expect(keys).toContain('strace delete /run/nginx.pid');
    expect(traced.exercise.trace).toMatchObject({ tracer: 'strace', method: 'sidecar' });
    expect(traced.exercise.trace?.image).toMatch(/^ro-profile-tracer:[0-9a-f]{12}$/);
    // Every path the diff found is still planned.
    for (const m of plain.plan.mounts) expect(mountsOf(traced).has(m.path), m.path).toBe(true);

    // Without the trace's mount nginx cannot start read-only; with it, it serves.
    const broken = await start('nginx-plain-run', await emitRun('nginx-plain-emit', plain));
    const failed = await exitedWith(broken);
    expect(failed.code).not.toBe(0);
    expect(failed.logs).toMatch(/\/var\/log\/nginx\/error\.log" failed \(30: Read-only file system\)/);

    const line = await emitRun('nginx-traced-emit', traced);
    expect(line).toContain('--tmpfs /var/log/nginx:');
    const c = await start('nginx-traced-run', line);
    expect(await eventually(async () => (await httpStatus(c.ip, 80)) === 200)).toBe(true);
    expect(await c.logs()).not.toMatch(/read-only file system/i);
  });

  it.each(['sidecar', 'host'] as const)('trace-app by the %s method: transient, executed, opened-unchanged and shutdown writes', async (method) => {
    const args = [TRACE_APP, '--exec', OPEN_UNCHANGED, '--exec', 'id -u'];
    const plain = await profile(`trace-app-plain-${method}`, [...args, '--no-verify']);
    const plainKeys = [...keysOf(plain)].join('\n');
    expect(plainKeys).not.toContain('/var/cache/trace-app/warmup.tmp');
    expect(plainKeys).not.toContain('/opt/hooks/on-start.sh');
    expect(plainKeys).not.toContain('/var/lib/trace-app/state');

    const traced = await profile(`trace-app-${method}`, [...args, ...TRACE, '--tracer-method', method]);
    volumes.push(...volumeNamesOf(traced));
    const keys = keysOf(traced);
    // Created and removed during the run.
    expect(keys).toContain('strace add /var/cache/trace-app/warmup.tmp');
    expect(keys).toContain('strace delete /var/cache/trace-app/warmup.tmp');
    // A file it wrote, executed and removed: its mount must allow exec.
    expect(keys).toContain('strace exec /opt/hooks/on-start.sh');
    expect(mountsOf(traced).get('/opt/hooks')?.exec).toBe(true);
    // The --exec step (not a child of the container's first process) opened a shipped file for writing.
    expect(keys).toContain('strace modify /var/lib/trace-app/state');
    expect(mountsOf(traced).has('/var/lib/trace-app')).toBe(true);
    // Written only in the TERM handler: the stop signal reached the app, and strace saw it.
    expect(keys).toContain('strace add /var/spool/trace-app/last-stop');
    // The app and its steps kept the image's user.
    expect(traced.exercise.execs[1]).toMatchObject({ command: 'id -u', exitCode: 0, output: '1000\n' });
    // Every path of the diff is in the traced plan too.
    for (const m of plain.plan.mounts) expect(mountsOf(traced).has(m.path), m.path).toBe(true);
    expect(traced.exercise.trace).toMatchObject({ tracer: 'strace', method, steps: 2 });

    const report = await emitRun(`trace-app-report-${method}`, traced, 'report');
    expect(report).toContain(`traced live by the ${method} method`);
    expect(report).toMatch(/\| `\/var\/cache\/trace-app\/warmup\.tmp` \| add \| .* \| strace \|/);

    // The diff's config fails where the hook must be written; the traced one runs the same exercise.
    const broken = await exitedWith(await start(`trace-app-plain-run-${method}`, await emitRun(`tp-emit-${method}`, plain)));
    expect(broken.code).toBe(1);
    expect(broken.logs).toContain('trace-app: cannot run /opt/hooks/on-start.sh');

    const c = await start(`trace-app-run-${method}`, await emitRun(`t-emit-${method}`, traced));
    expect(await eventually(async () => (await httpStatus(c.ip, 8080)) === 200)).toBe(true);
    expect(await c.exec(['sh', '-c', OPEN_UNCHANGED])).toMatchObject({ exitCode: 0 });
    const info = await docker.getContainer(c.id).inspect();
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.State.Running).toBe(true);
    expect(await c.logs()).not.toMatch(/read-only file system|can't create|permission denied/i);
  });

  it('an image without a shell is gated and traced by the busybox the tool puts in', async () => {
    const traced = await profile('no-shell', [NO_SHELL, ...TRACE]);
    expect(keysOf(traced)).toContain('strace add /var/log/messages');
    const line = await emitRun('no-shell-emit', traced);
    const c = await start('no-shell-run', line);
    await new Promise((r) => setTimeout(r, 1500));
    const info = await docker.getContainer(c.id).inspect();
    expect(info.State.Running, await c.logs()).toBe(true);
    // Nothing of the gate stays in the image's view of things.
    expect(traced.changes.map((x) => x.path).filter((p) => p.startsWith('/.ro-profile'))).toEqual([]);
    expect(traced.events.map((x) => x.realPath).filter((p) => p.startsWith('/.ro-profile'))).toEqual([]);
  });

  it('temp data that comes and goes in /tmp (an O_TMPFILE table, a spill file) is a write inside /tmp, not into /', async () => {
    const traced = await profile('temp-churn', ['ro-profile-fixture/temp-churn:latest', ...TRACE]);
    // The trace saw the directory itself opened for writing, and the files below it.
    expect(keysOf(traced)).toContain('strace modify /tmp');
    expect([...keysOf(traced)].some((k) => /^strace (add|delete) \/tmp\/spill\./.test(k))).toBe(true);
    expect(traced.findings.filter((f) => f.kind === 'system-write')).toEqual([]);
    expect(traced.plan.mounts.map((m) => [m.path, m.kind])).toEqual([['/tmp', 'tmpfs']]);
    expect(traced.verification.at(-1)?.result).toBe('pass');
    const c = await start('temp-churn-run', await emitRun('temp-churn-emit', traced));
    await new Promise((r) => setTimeout(r, 1500));
    expect((await docker.getContainer(c.id).inspect()).State.Running, await c.logs()).toBe(true);
  });

  describe('verification runs are traced too', () => {
    // write-check refuses to start when `[ -w /srv/uploads ]` says no, with a message naming no
    // path; the writable run writes nothing there. Only the hardened run's trace says where.
    const WRITE_CHECK = 'ro-profile-fixture/write-check:latest';
    const tracedRepair = (r: Result) => {
      const first = r.verification.at(-1)!.rounds[0]!;
      expect(first).toMatchObject({ kind: 'verify', result: 'fail', refused: ['EROFS /srv/uploads'], repaired: ['/srv/uploads'] });
      expect(r.verification.at(-1)!.result).toBe('pass');
      expect(r.plan.mounts.map((m) => [m.path, m.kind, m.uid, m.gid])).toEqual([['/srv/uploads', 'tmpfs', 1000, 1000]]);
      expect(r.plan.mounts[0]!.reasons.join('\n')).toContain('refused a write here under a read-only root (EROFS /srv/uploads)');
    };

    it('a write check refused under the read-only root names its path in the trace, and the repair mounts it (sidecar)', async () => {
      const r = await profile('write-check', [WRITE_CHECK, ...TRACE]);
      tracedRepair(r);
      // The printed line runs: it starts and stays up.
      const c = await start('write-check-run', await emitRun('write-check-emit', r));
      await new Promise((res) => setTimeout(res, 1500));
      expect((await docker.getContainer(c.id).inspect()).State.Running, await c.logs()).toBe(true);
      expect(await c.logs()).toContain('accepting uploads');
    });

    it('the same with strace on the host, whose gate is released again for the restart run', async () => {
      tracedRepair(await profile('write-check-host', [WRITE_CHECK, '--tracer', 'strace', '--tracer-method', 'host']));
    });

    it('without the tracer the same image is not repaired: the log names no path (exit 7)', async () => {
      const session = testSession('write-check-untraced');
      const r = await runCli([WRITE_CHECK, '--format', 'json'], { session });
      expect(r.code, r.stderr).toBe(7);
      expect(r.stderr).toContain('uploads are not possible');
      expect(await leftovers(session)).toEqual([]);
    });
  });

  describe('with no registry', () => {
    // This machine reaches no image registry (and the tests must not depend on one that is):
    // the tracer comes from what the host has.
    it('--tracer-base host assembles the sidecar image from this host\'s strace and busybox, and traces', async () => {
      const r = await profile('trace-host-base', [TRACE_APP, '--tracer', 'strace', '--tracer-base', 'host', '--exec', OPEN_UNCHANGED, '--no-verify']);
      expect(r.exercise.trace).toMatchObject({ method: 'sidecar', image: expect.stringMatching(/^ro-profile-tracer:host-[0-9a-f]{12}$/) });
      expect(keysOf(r)).toContain('strace add /var/cache/trace-app/warmup.tmp');
      const img = await docker.getImage(r.exercise.trace!.image).inspect();
      expect(img.Config.Labels?.['io.ro-profile.tracer']).toBe('true');
    });

    it('a base the engine cannot pull falls back to the host\'s binaries, and says so', async () => {
      const session = testSession('trace-unpullable-base');
      const r = await runCli([TRACE_APP, '--tracer', 'strace', '--tracer-base', 'ro-profile-test/never-published-base:1', '--no-verify', '--format', 'json'], { session });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('"ro-profile-test/never-published-base:1" is not available');
      expect(r.stderr).toContain("assembling the tracer image from this host's strace and busybox instead");
      expect((JSON.parse(r.stdout) as Result).exercise.trace?.image).toMatch(/^ro-profile-tracer:host-/);
      expect(await leftovers(session)).toEqual([]);
    });

    it('--tracer-method host needs no tracer image at all: the gate is the host\'s static busybox', async () => {
      const r = await profile('trace-host-method', [TRACE_APP, '--tracer', 'strace', '--tracer-method', 'host', '--tracer-base', 'ro-profile-test/never-published-base:1', '--no-verify']);
      expect(r.exercise.trace).toMatchObject({ method: 'host', image: expect.stringMatching(/^host \(\/.*busybox\)$/) });
      expect(keysOf(r)).toContain('strace add /var/cache/trace-app/warmup.tmp');
    });
  });

  describe('when tracing cannot work', () => {
    let proxy: Server;
    let proxyPort = 0;
    const denied = 'ro-profile-test/tracer-denied:latest';
    const noBusybox = 'ro-profile-test/tracer-no-busybox:latest';

    beforeAll(async () => {
      // The engine reached over TCP, as a remote one would be: host attach cannot see its processes.
      proxy = createServer((client) => {
        const up = createConnection('/var/run/docker.sock');
        client.pipe(up).pipe(client);
        up.on('error', () => client.destroy());
        client.on('error', () => up.destroy());
      });
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
      proxyPort = (proxy.address() as { port: number }).port;
      // A tracer whose strace meets a ptrace denial (the message strace prints when seccomp or an LSM refuses).
      if ((await profileTracerRef()) === undefined) await profile('trace-prepare', [FIXTURE.busybox, ...TRACE]);
      const tracer = (await profileTracerRef()) ?? '';
      build(denied, [
        `FROM ${tracer}`,
        'RUN printf \'#!/bin/sh\\necho "strace: attach: ptrace(PTRACE_SEIZE, 1): Operation not permitted" >&2\\nexit 1\\n\' > /usr/local/bin/strace && chmod 0755 /usr/local/bin/strace',
      ]);
      build(noBusybox, [`FROM ${tracer}`, 'RUN rm /bin/busybox']);
    });
    afterAll(async () => {
      proxy?.close();
      for (const t of [denied, noBusybox]) await docker.getImage(t).remove({ force: true }).catch(() => undefined);
    });

    it('host attach against an engine that is not on this kernel is exit 2, saying why and what to do', async () => {
      const session = testSession('trace-remote-host');
      const r = await runCli([FIXTURE.busybox, ...TRACE, '--tracer-method', 'host'], { session, env: { DOCKER_HOST: `tcp://127.0.0.1:${proxyPort}` } });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('--tracer-method host cannot trace here: the Docker engine at tcp://127.0.0.1');
      expect(r.stderr).toMatch(/hint: Use --tracer-method sidecar .*analyze-strace/);
      expect(await leftovers(session)).toEqual([]);
    });

    it('the sidecar over that same remote engine still works', async () => {
      const session = testSession('trace-remote-sidecar');
      const r = await runCli([TRACE_APP, ...TRACE, '--format', 'json'], { session, env: { DOCKER_HOST: `tcp://127.0.0.1:${proxyPort}` } });
      expect(r.code, r.stderr).toBe(0);
      expect(keysOf(JSON.parse(r.stdout) as Result)).toContain('strace add /var/cache/trace-app/warmup.tmp');
      expect(await leftovers(session)).toEqual([]);
    });

    it('a ptrace denial fails the run (exit 5) with strace\'s own words and the analyze-strace way out', async () => {
      const session = testSession('trace-denied');
      const r = await runCli([FIXTURE.busybox, '--tracer', 'strace', '--tracer-image', denied], { session });
      expect(r.code, r.stderr).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('The strace sidecar ended before it was attached to the container');
      expect(r.stderr).toContain('ptrace(PTRACE_SEIZE, 1): Operation not permitted');
      expect(r.stderr).toMatch(/hint: .*ro-profile analyze-strace FILE --image IMAGE/);
      expect(await leftovers(session)).toEqual([]);
    });

    it('a tracer image without a static busybox is refused before anything runs', async () => {
      const session = testSession('trace-no-busybox');
      const r = await runCli([FIXTURE.busybox, '--tracer', 'strace', '--tracer-image', noBusybox], { session });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`The tracer image "${noBusybox}" has no static busybox at /bin/busybox`);
      expect(r.stderr).toMatch(/hint: .*busybox-static/);
      expect(await leftovers(session)).toEqual([]);
    });

    it('tracer flags without --tracer strace are a usage error', async () => {
      const r = await runCli([FIXTURE.busybox, '--tracer-method', 'host'], { session: testSession('trace-flags') });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('only apply with "--tracer strace"');
    });
  });
});

/** The tracer image the tool built from the fixture base (the tests above built it). */
async function profileTracerRef(): Promise<string | undefined> {
  const images = await docker.listImages({ filters: { label: ['io.ro-profile.tracer=true'] } });
  // The one built from a base (with apt's strace), not the one assembled from this host's binaries.
  return images.flatMap((i) => i.RepoTags ?? []).find((t) => t.startsWith('ro-profile-tracer:') && !t.startsWith('ro-profile-tracer:host-'));
}

function build(tag: string, lines: string[]): void {
  execFileSync('docker', ['build', '-q', '--force-rm', '-t', tag, '-'], { input: `${lines.join('\n')}\n`, env: { ...process.env, DOCKER_BUILDKIT: '0' }, stdio: ['pipe', 'ignore', 'inherit'] });
}
