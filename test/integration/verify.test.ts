import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { FIXTURE, docker, dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';
import { commandLines, eventually, httpStatus, removeVolumes, runPrintedLine, volumeNamesOf, type StartedHardened } from '../helpers/hardened-run.js';

/**
 * The verify stage on real images: each fixture shows one way a diff is wrong (a log opened but
 * unchanged, an optional edit, a silent default page, a write only at shutdown, a job), and the
 * printed config must be the verified one, with its evidence in the result and the report.
 */
const image = (name: string) => `ro-profile-fixture/${name}:latest`;

async function profile(name: string, args: string[], expectCode = 0): Promise<Result> {
  const session = testSession(name);
  const r = await runCli([...args, '--format', 'json'], { session });
  expect(r.code, r.stderr).toBe(expectCode);
  expect(await leftovers(session)).toEqual([]);
  return JSON.parse(r.stdout) as Result;
}

function withFile<T>(result: Result, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync('/tmp/ro-profile-verify-test-');
  const file = `${dir}/result.json`;
  writeFileSync(file, JSON.stringify(result));
  return fn(file).finally(() => rmSync(dir, { recursive: true, force: true }));
}

async function emit(result: Result, format = 'run'): Promise<string> {
  return withFile(result, async (file) => {
    const r = await runCli(['emit', file, '--format', format], { session: testSession('emit') });
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  });
}

const mountPaths = (r: Result) => r.plan.mounts.map((m) => m.path);
const verification = (r: Result) => r.verification.at(-1)!;
const rounds = (r: Result) => verification(r).rounds;

describe.skipIf(!dockerAvailable())('verification', () => {
  const started: StartedHardened[] = [];
  const volumes: string[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.remove()));
    await removeVolumes(volumes.splice(0));
  });

  async function start(r: Result): Promise<StartedHardened> {
    volumes.push(...volumeNamesOf(r));
    const c = await runPrintedLine(await emit(r), testSession('start'));
    started.push(c);
    return c;
  }

  it('a log opened at start but never written: the diff misses it, the first hardened run fails, the repair adds it', async () => {
    const r = await profile('open-log', [image('open-log')]);
    expect(verification(r)).toMatchObject({ format: 'run', runtime: 'docker', result: 'pass' });
    const first = rounds(r)[0]!;
    expect(first).toMatchObject({ kind: 'verify', result: 'fail' });
    const log = first.differences.find((d) => d.kind === 'ready' || d.kind === 'log');
    expect(log?.paths).toContain('/var/log/open-log/app.log');
    expect(log?.lines?.join('\n')).toContain("can't create /var/log/open-log/app.log: Read-only file system");
    expect(first.repaired).toContain('/var/log/open-log');
    expect(mountPaths(r)).toContain('/var/log/open-log');
    expect(r.events.some((e) => e.source === 'verify-log' && e.realPath === '/var/log/open-log/app.log')).toBe(true);
    // The last run is the printed config, restarted once, and it passed.
    expect(rounds(r).at(-1)).toMatchObject({ kind: 'final', result: 'pass' });
    const c = await start(r);
    expect(await eventually(async () => (await httpStatus(c.ip, 8080)) === 200)).toBe(true);
  });

  it('an entrypoint edit it can live without is left out, and the report says why', async () => {
    const r = await profile('edit-optional', [image('edit-optional')]);
    expect(verification(r).result).toBe('pass');
    // Without the mount it serves the same page; all it does differently is say it skipped the edit.
    const loo = rounds(r).find((x) => x.kind === 'leave-one-out' && x.without === '/srv/conf');
    expect(loo?.differences.map((d) => d.kind)).toEqual(['log']);
    expect(loo?.differences[0]?.paths).toEqual(['/srv/conf/app.conf']);
    expect(rounds(r).at(-1)).toMatchObject({ kind: 'final', result: 'pass', mounts: ['/run/app'] });
    expect(mountPaths(r)).not.toContain('/srv/conf');
    const finding = r.findings.find((f) => f.kind === 'optional-write');
    expect(finding?.path).toBe('/srv/conf');
    expect(finding?.message).toContain('/srv/conf/app.conf');
    expect(finding?.evidence.join('\n')).toContain('left as shipped');
    const report = await emit(r, 'report');
    expect(report).toContain('## Verification');
    expect(report).toContain('`optional-write` on `/srv/conf`');
    expect(await emit(r)).not.toContain('/srv/conf');
  });

  it('a default page served instead of the real one is caught by the body, and its mount is required', async () => {
    const r = await profile('silent-default', [image('silent-default')]);
    expect(verification(r).result).toBe('pass');
    const site = r.plan.mounts.find((m) => m.path === '/srv/site');
    expect(site?.verified?.without).toBe('broke');
    expect(site?.verified?.evidence.join('\n')).toMatch(/different page/);
    const c = await start(r);
    expect(await eventually(async () => (await httpStatus(c.ip, 8080)) === 200)).toBe(true);
  });

  it('a page that changes by itself (time, hostname, a token) is no regression: status and content type are compared, and the report says so', async () => {
    const r = await profile('clock-page', [image('clock-page'), '--verify-with', 'compose']);
    for (const v of r.verification) {
      expect(v.result, JSON.stringify(v.rounds.map((x) => x.differences))).toBe('pass');
      expect(v.notes).toEqual([expect.stringContaining('port 8080: the writable run served a different page on each of its own requests')]);
    }
    expect(mountPaths(r)).toEqual(['/run/app']);
    const report = await emit(r, 'report');
    expect(report).toContain('Not compared: port 8080');
  });

  it.each([
    ['no TMPDIR', [], '/tmp'],
    ['TMPDIR=/var/tmp', ['-e', 'TMPDIR=/var/tmp'], '/var/tmp'],
  ])('a failure naming every temp dir it tried converges on one of them (%s): each tried alone, the first that works kept', async (_name, env, dir) => {
    const r = await profile('tempdir-search', [image('tempdir-search'), ...env]);
    expect(verification(r).result, JSON.stringify(rounds(r), null, 1)).toBe('pass');
    expect(mountPaths(r)).toEqual([dir]);
    const tried = rounds(r).find((x) => x.candidates !== undefined);
    expect(tried?.candidates?.[0]).toBe(dir);
    expect(tried?.candidates).toEqual(expect.arrayContaining(['/tmp', '/var/tmp', '/usr/tmp', '/app']));
    expect(tried).toMatchObject({ repaired: [dir], result: 'pass' });
    const c = await start(r);
    await new Promise((res) => setTimeout(res, 1500));
    expect((await docker.getContainer(c.id).inspect()).State.Running, await c.logs()).toBe(true);
    expect(await c.logs()).toContain(`temp files go to ${dir}`);
  });

  it('a write only at shutdown is required, shown by what the app logs when it stops', async () => {
    const r = await profile('shutdown-writer', [image('shutdown-writer')]);
    expect(verification(r).result).toBe('pass');
    const m = r.plan.mounts.find((x) => x.path === '/var/lib/shutdown-writer');
    expect(m?.verified?.without).toBe('broke');
    expect(m?.verified?.evidence.join('\n')).toContain('/var/lib/shutdown-writer/last-stop');
  });

  it('a job: the same exit code under the config, and what broke without each mount', async () => {
    const r = await profile('job-writer', [image('job-writer')]);
    expect(r.exercise.readiness).toBe('job-exit');
    expect(verification(r).result).toBe('pass');
    const m = r.plan.mounts.find((x) => x.path === '/var/lib/job-writer');
    expect(m?.verified?.without).toBe('broke');
    expect(m?.verified?.evidence.join('\n')).toContain('exit code 1');
  });

  it('a file it writes and then runs needs exec: without its mount it refuses to start', async () => {
    const r = await profile('trace-app', [image('trace-app'), '--tracer', 'strace', '--tracer-base', FIXTURE.base]);
    expect(verification(r).result).toBe('pass');
    const hooks = r.plan.mounts.find((x) => x.path === '/opt/hooks');
    expect(hooks?.exec).toBe(true);
    expect(hooks?.verified?.without).toBe('broke');
  });

  it('--no-verify prints the config as planned, unverified, with no run', async () => {
    const r = await profile('no-verify', [image('open-log'), '--no-verify']);
    expect(r.verification).toEqual([]);
    expect(mountPaths(r)).not.toContain('/var/log/open-log');
  });

  it('when repair cannot help, exit 7: the last config is printed, marked unverified, with the lines that show why', async () => {
    const session = testSession('max-rounds');
    const r = await runCli([image('open-log'), '--max-rounds', '1'], { session });
    expect(r.code, r.stderr).toBe(7);
    expect(r.stdout).toMatch(/^# UNVERIFIED: under this config /);
    expect(commandLines(r.stdout)[0]).toMatch(/^docker run --read-only /);
    expect(r.stderr).toContain('verification failed');
    expect(r.stderr).toContain('failing paths: /var/log/open-log/app.log');
    expect(r.stderr).toContain("can't create /var/log/open-log/app.log: Read-only file system");
    expect(await leftovers(session)).toEqual([]);
  });

  describe('ro-profile verify RESULT.json', () => {
    const target = 'ro-profile-test/verify-target:latest';
    let saved: Result;
    beforeAll(async () => {
      execFileSync('docker', ['tag', image('busybox-app'), target]);
      saved = await profile('verify-saved', [target, '--leave-one-out', '0']);
    });
    afterAll(async () => {
      await docker.getImage(target).remove({ force: true }).catch(() => undefined);
    });

    it('exits 0 when the saved config still holds', async () => {
      const session = testSession('reverify-ok');
      const r = await withFile(saved, (file) => runCli(['verify', file], { session }));
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as Result;
      expect(out.verification).toHaveLength(2);
      expect(out.verification[1]?.result).toBe('pass');
      expect(await leftovers(session)).toEqual([]);
    });

    it('exits 7 with the failing path when a mount is removed from the saved result', async () => {
      const broken: Result = { ...saved, plan: { mounts: saved.plan.mounts.filter((m) => m.path !== '/run/app') } };
      const session = testSession('reverify-broken');
      const r = await withFile(broken, (file) => runCli(['verify', file, '--format', 'run'], { session }));
      expect(r.code, r.stderr).toBe(7);
      expect(r.stderr).toMatch(/failing paths: .*\/run\/app\/app\.pid/);
      expect(r.stdout).toMatch(/^# UNVERIFIED/);
      expect(await leftovers(session)).toEqual([]);
    });

    it('says when the tag now names another image', async () => {
      execFileSync('docker', ['tag', image('busybox-health'), target]);
      try {
        const session = testSession('reverify-digest');
        const r = await withFile(saved, (file) => runCli(['verify', file], { session }));
        expect(r.stderr).toMatch(/now resolves to [0-9a-f]{12}; the result was made from [0-9a-f]{12}/);
        expect(r.code, r.stderr).toBe(0);
      } finally {
        execFileSync('docker', ['tag', image('busybox-app'), target]);
      }
    });
  });
});
