import { afterEach, describe, expect, it } from 'vitest';
import { docker, dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';
import { eventually, removeVolumes, runPrintedLine, volumeNamesOf, type StartedHardened } from '../helpers/hardened-run.js';

interface PlannedMount {
  path: string;
  kind: string;
  uid: number;
  gid: number;
  mode: number;
  volumeName?: string;
}

/**
 * The traps of FIELD-NOTES sections 2 and 3, each in a real image: the generated line runs
 * the image read-only, its exercise passes, and its logs hold no read-only or permission error.
 */
describe.skipIf(!dockerAvailable())('analysis on images that reproduce the known traps', () => {
  const started: StartedHardened[] = [];
  const volumes: string[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.remove()));
    await removeVolumes(volumes.splice(0));
  });

  async function profile(name: string, image: string, extra: string[] = []) {
    const session = testSession(name);
    const json = await runCli([image, '--format', 'json', '-q', ...extra], { session });
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(await leftovers(session)).toEqual([]);
    volumes.push(...volumeNamesOf(result));
    await removeVolumes(volumeNamesOf(result));
    return { result, session, mounts: result.plan.mounts as PlannedMount[] };
  }

  async function start(result: unknown, session: string): Promise<StartedHardened> {
    const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'ro-profile-result-'));
    const file = join(dir, 'result.json');
    writeFileSync(file, JSON.stringify(result));
    const emitted = await runCli(['emit', file], { session }).finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(emitted.code, emitted.stderr).toBe(0);
    const c = await runPrintedLine(emitted.stdout, session);
    started.push(c);
    return c;
  }

  async function body(c: StartedHardened, port: number): Promise<{ status: number; text: string }> {
    return eventually(async () => {
      const res = await fetch(`http://${c.ip}:${port}/`, { signal: AbortSignal.timeout(3000) });
      return { status: res.status, text: await res.text() };
    });
  }

  async function cleanLogs(c: StartedHardened): Promise<void> {
    expect(await c.logs()).not.toMatch(/read-only file system|EROFS|permission denied|File exists/i);
    expect((await docker.getContainer(c.id).inspect()).State.Running).toBe(true);
  }

  it('Debian apache2: mounts the directories it creates, never /run, so /var/lock -> /run/lock keeps working', async () => {
    const { result, session, mounts } = await profile('apache2', 'ro-profile-fixture/apache2:latest');
    expect(mounts.map((m) => [m.path, m.kind])).toEqual([
      ['/run/apache2', 'tmpfs'],
      ['/run/lock', 'tmpfs'],
      ['/var/log/apache2', 'tmpfs'],
    ]);
    expect(mounts.find((m) => m.path === '/run/lock')?.mode).toBe(0o1777);
    expect(result.fs.symlinks).toContainEqual({ path: '/var/lock', target: '/run/lock' });
    // The shipped log files are empty placeholders: hidden, and said so.
    expect(result.findings).toContainEqual(expect.objectContaining({ kind: 'shadowed-content', path: '/var/log/apache2' }));
    const c = await start(result, session);
    expect((await body(c, 80)).status).toBe(200);
    await cleanLogs(c);
  });

  it('an entrypoint that edits a shipped config: reported, and given a seeded mount that keeps the shipped files', async () => {
    const { result, session, mounts } = await profile('config-edit', 'ro-profile-fixture/config-edit:latest');
    expect(mounts).toEqual([expect.objectContaining({ path: '/etc/app', kind: 'seeded', uid: 1000, gid: 1000 })]);
    expect(result.findings).toContainEqual(expect.objectContaining({ kind: 'modified-shipped-file', path: '/etc/app', evidence: ['/etc/app/httpd.conf'] }));
    expect(result.findings).toContainEqual(expect.objectContaining({ kind: 'seeded-content', path: '/etc/app' }));
    const c = await start(result, session);
    const page = await body(c, 8080);
    expect(page.status).toBe(200);
    expect(page.text).toContain('site blue');
    await cleanLogs(c);
  });

  it('a declared VOLUME the app writes into becomes an explicit named volume', async () => {
    const { result, session, mounts } = await profile('volume-explicit', 'ro-profile-fixture/busybox-volume:latest');
    expect(mounts.map((m) => [m.path, m.kind])).toEqual([
      ['/data', 'volume'],
      ['/run/app', 'tmpfs'],
      ['/var/log/app', 'tmpfs'],
    ]);
    expect(result.events).toContainEqual(expect.objectContaining({ path: '/data/started', source: 'volume' }));
    const c = await start(result, session);
    expect((await body(c, 8080)).status).toBe(200);
    expect((await c.exec(['cat', '/data/started'])).exitCode).toBe(0);
    await cleanLogs(c);
  });

  it('a non-root app in root-owned directories keeps their owner and mode (sticky /tmp, group-writable uploads)', async () => {
    const { result, session, mounts } = await profile('nonroot', 'ro-profile-fixture/nonroot-dirs:latest');
    expect(mounts).toEqual([
      expect.objectContaining({ path: '/srv/uploads', kind: 'tmpfs', uid: 0, gid: 1000, mode: 0o775 }),
      expect.objectContaining({ path: '/tmp', kind: 'tmpfs', uid: 0, gid: 0, mode: 0o1777 }),
    ]);
    const c = await start(result, session);
    expect((await body(c, 8080)).status).toBe(200);
    expect((await c.exec(['ls', '/srv/uploads/first-upload.txt'])).exitCode).toBe(0);
    await cleanLogs(c);
  });

  it('a SQLite database outside any VOLUME is flagged as persistent and kept on a named volume', async () => {
    const { result, session, mounts } = await profile('sqlite', 'ro-profile-fixture/sqlite-app:latest');
    expect(mounts).toEqual([expect.objectContaining({ path: '/var/lib/app', kind: 'volume' })]);
    expect(result.events).toContainEqual(expect.objectContaining({ path: '/var/lib/app/app.db', format: 'sqlite' }));
    expect(result.findings).toContainEqual(expect.objectContaining({ kind: 'persistent-data', severity: 'warning', path: '/var/lib/app' }));
    const c = await start(result, session);
    expect((await body(c, 8080)).status).toBe(200);
    await cleanLogs(c);
  });

  it('--ephemeral keeps a data-looking directory on tmpfs, with the owner it needs', async () => {
    const { mounts } = await profile('sqlite-ephemeral', 'ro-profile-fixture/sqlite-app:latest', ['--ephemeral', '/var/lib/app']);
    expect(mounts).toEqual([expect.objectContaining({ path: '/var/lib/app', kind: 'tmpfs', uid: 999, gid: 999, mode: 0o750 })]);
  });

  it('a store whose files carry no database name or header: the restart check sees it take them up again, so a named volume', async () => {
    const { result, session, mounts } = await profile('metrics-store', 'ro-profile-fixture/metrics-store:latest');
    expect(mounts).toEqual([expect.objectContaining({ path: '/srv/metrics', kind: 'volume', uid: 1000, gid: 1000 })]);
    const finding = result.findings.find((f: { kind: string }) => f.kind === 'persistent-data');
    expect(finding?.message).toContain('holds state the app takes up again when it starts next (a restart of the writable run showed it)');
    expect(finding?.evidence.join('\n')).toMatch(/\/srv\/metrics\/segment-000001\.dat was appended to on the second start \(\d+ → \d+ bytes, its first bytes unchanged\)/);
    expect(Object.keys(result.analysis.state)).toEqual(['/srv/metrics']);
    expect(result.verification.at(-1).result).toBe('pass');
    // The printed line keeps the samples across a restart of the hardened container.
    const c = await start(result, session);
    await new Promise((r) => setTimeout(r, 800));
    await docker.getContainer(c.id).restart({ t: 2 });
    await eventually(async () => /replayed \d+ samples/.test(await c.logs()));
    await cleanLogs(c);
  });

  it('--ephemeral has the last word over the restart check (which then does not run)', async () => {
    const session = testSession('metrics-store-ephemeral');
    const r = await runCli(['ro-profile-fixture/metrics-store:latest', '--ephemeral', '/srv/metrics', '--no-verify', '--format', 'json'], { session });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('second start of the writable run');
    expect(JSON.parse(r.stdout).plan.mounts).toEqual([expect.objectContaining({ path: '/srv/metrics', kind: 'tmpfs' })]);
    expect(await leftovers(session)).toEqual([]);
  });

  it('--format report documents each mount, the findings and the raw changes', async () => {
    const session = testSession('report');
    const r = await runCli(['ro-profile-fixture/apache2:latest', '--format', 'report', '-q'], { session });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# Write profile of `ro-profile-fixture\/apache2:latest`/);
    for (const section of ['## Mounts', '### `/run/apache2` (tmpfs)', '## Findings', '## Raw changes', 'A /run/lock/apache2']) {
      expect(r.stdout).toContain(section);
    }
    expect(r.stdout).toContain('Sizes come from observation');
  });
});
