import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURE, dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';
import { commandLines, eventually, httpStatus, removeVolumes, runPrintedLine, type StartedHardened } from '../helpers/hardened-run.js';

/**
 * The whole capability: profile a real image, paste the printed line into /bin/sh, and the
 * app works with a read-only root and writes nothing it may not.
 */
describe.skipIf(!dockerAvailable())('ro-profile IMAGE on the fixtures', () => {
  const started: StartedHardened[] = [];
  const volumes: string[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.remove()));
    await removeVolumes(volumes.splice(0));
  });

  async function profileAndStart(name: string, image: string, extra: string[] = []) {
    const session = testSession(name);
    const r = await runCli([image, ...extra], { session });
    expect(r.stderr).toContain('analyze');
    expect(r.code, r.stderr).toBe(0);
    expect(await leftovers(session)).toEqual([]);
    const line = r.stdout;
    // One command line, after the comments it may carry (where the app logs to files).
    expect(commandLines(line)).toHaveLength(1);
    expect(commandLines(line)[0]).toMatch(/^docker run --read-only --security-opt no-new-privileges /);
    // The comments say where its logs go and what its process settings are, and why.
    for (const l of line.split('\n').filter((x) => x.startsWith('#'))) expect(l).toMatch(/^# (logs|hardening|capability [A-Z_]+ kept|user|not [a-z-]+|seccomp): /);
    expect(line).toContain('# hardening: ');
    const c = await runPrintedLine(line, session);
    started.push(c);
    return { line, c };
  }

  async function noReadOnlyErrors(c: StartedHardened): Promise<void> {
    const logs = await c.logs();
    expect(logs).not.toMatch(/read-only file system|EROFS|permission denied/i);
  }

  it('nginx: the printed line serves HTTP 200 with a read-only root', async () => {
    const { line, c } = await profileAndStart('nginx', FIXTURE.nginx);
    // Debian nginx writes its pid file in /run (removed at stop: only the running diff sees it),
    // temp dirs in /var/lib/nginx and logs in /var/log/nginx.
    expect(line).toContain('--tmpfs /run:');
    expect(line).toContain('--tmpfs /var/lib/nginx:');
    expect(line).toContain('--tmpfs /var/log/nginx:');
    expect(await eventually(async () => (await httpStatus(c.ip, 80)) === 200)).toBe(true);
    await noReadOnlyErrors(c);
    const info = await import('../helpers/cli.js').then((m) => m.docker.getContainer(c.id).inspect());
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.State.Running).toBe(true);
  });

  it('busybox app: a non-root app gets tmpfs mounts it owns, through the /var/run symlink', async () => {
    const { line, c } = await profileAndStart('busybox', FIXTURE.busybox);
    expect(line).toMatch(/--tmpfs \/run\/app:[^ ]*uid=1000,gid=1000/);
    expect(line).toMatch(/--tmpfs \/var\/log\/app:[^ ]*uid=1000,gid=1000/);
    expect(await eventually(async () => (await httpStatus(c.ip, 8080)) === 200)).toBe(true);
    const pid = await c.exec(['cat', '/var/run/app/app.pid']);
    expect(pid.exitCode).toBe(0);
    await noReadOnlyErrors(c);
  });

  it('redis as its own user: its data directory becomes a named volume, and the printed line accepts SET and SAVE', async () => {
    const { line, c } = await profileAndStart('redis', FIXTURE.redis, ['--exec', 'redis-cli SET k v', '--exec', 'redis-cli SAVE']);
    // dump.rdb is data (REDIS header), so no tmpfs: a named volume, which Docker fills with the
    // image's directory (owner redis, mode 0750) on first use.
    const volume = /-v (redis-var-lib-redis-[0-9a-f]{6}):\/var\/lib\/redis/.exec(line)?.[1];
    expect(volume, line).toBeDefined();
    volumes.push(volume!);
    await eventually(async () => (await c.exec(['redis-cli', 'PING'])).output.includes('PONG'));
    const set = await c.exec(['redis-cli', 'SET', 'answer', '42']);
    expect(set.output).toContain('OK');
    const save = await c.exec(['redis-cli', 'SAVE']);
    expect(save.output).toContain('OK');
    await noReadOnlyErrors(c);
    expect(await c.logs()).toContain('DB saved on disk');
  });

  it('--format json carries the image facts, the exercise and the mounts', async () => {
    const session = testSession('json');
    const r = await runCli([FIXTURE.nginx, '--format', 'json', '--quiet'], { session });
    expect(r.code, r.stderr).toBe(0);
    // --quiet: no progress lines (a warning about an earlier run's leftovers may still appear).
    expect(r.stderr).not.toMatch(/ro-profile: (engine|resolve|launch|ready|exercise|stop|harvest|analyze) /);
    const result = JSON.parse(r.stdout);
    expect(result.schemaVersion).toBe(1);
    expect(result.image.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.image.exposedPorts).toEqual([{ port: 80, protocol: 'tcp' }]);
    expect(result.image.stopSignal).toBe('SIGQUIT');
    expect(result.exercise.probes).toEqual([{ port: 80, kind: 'http', ok: true, status: 200, bodySha256: expect.stringMatching(/^[0-9a-f]{64}$/), bodyShapeSha256: expect.stringMatching(/^[0-9a-f]{64}$/), contentType: 'text/html' }]);
    expect(result.plan.mounts.map((m: { path: string }) => m.path)).toEqual(['/run', '/var/lib/nginx', '/var/log/nginx']);
    expect(result.events).toContainEqual(expect.objectContaining({ path: '/run/nginx.pid', op: 'delete' }));
    expect(await leftovers(session)).toEqual([]);
  });

  it('a finished job (no port, no healthcheck, exit 0) is profiled as a job', async () => {
    const session = testSession('job');
    const r = await runCli([FIXTURE.base, '--json', '--', 'sh', '-c', 'echo done > /tmp/job.out'], { session });
    expect(r.code, r.stderr).toBe(0);
    const env = JSON.parse(r.stdout);
    expect(env.outcome).toBe('success');
    expect(env.result.exercise.readiness).toBe('job-exit');
    expect(env.result.exercise.jobExitCode).toBe(0);
    expect(env.result.plan.mounts).toEqual([expect.objectContaining({ path: '/tmp', mode: 0o1777 })]);
    expect(env.result.run.command).toEqual(['sh', '-c', 'echo done > /tmp/job.out']);
    expect(await leftovers(session)).toEqual([]);
  });
});

describe.skipIf(!dockerAvailable())('images with a healthcheck or a VOLUME', () => {
  it('readiness follows the healthcheck when the image has one', async () => {
    const session = testSession('health');
    const r = await runCli(['ro-profile-fixture/busybox-health:latest', '--json'], { session });
    expect(r.code, r.stderr).toBe(0);
    const { result } = JSON.parse(r.stdout);
    expect(result.image.healthcheck.test[0]).toBe('CMD-SHELL');
    expect(result.exercise.readiness).toBe('healthcheck');
    expect(result.exercise.readyAfterMs).toBeGreaterThanOrEqual(500);
    expect(await leftovers(session)).toEqual([]);
  });

  it('a healthcheck that never passes is exit 6 and says what it last saw', async () => {
    const session = testSession('unhealthy');
    const r = await runCli(['ro-profile-fixture/busybox-health:latest', '--timeout', '3s', '--', 'sleep', '60'], { session });
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(/not ready after 3 s: healthcheck is "(starting|unhealthy)"/);
    expect(await leftovers(session)).toEqual([]);
  });

  it('the anonymous volume of a declared VOLUME is removed with the container', async () => {
    const session = testSession('volume');
    const r = await runCli(['ro-profile-fixture/busybox-volume:latest', '--json'], { session });
    expect(r.code, r.stderr).toBe(0);
    const { result } = JSON.parse(r.stdout);
    expect(result.image.volumes).toEqual(['/data']);
    expect(result.volumes).toEqual([expect.objectContaining({ destination: '/data', anonymous: true })]);
    // The write into /data stays on a volume (now an explicit named one), never a tmpfs.
    expect(result.plan.mounts.map((m: { path: string; kind: string }) => [m.path, m.kind])).toEqual([
      ['/data', 'volume'],
      ['/run/app', 'tmpfs'],
      ['/var/log/app', 'tmpfs'],
    ]);
    expect(result.findings).toContainEqual(expect.objectContaining({ kind: 'declared-volume', path: '/data' }));
    const { docker } = await import('../helpers/cli.js');
    await expect(docker.getVolume(result.volumes[0].name).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await leftovers(session)).toEqual([]);
  });
});
