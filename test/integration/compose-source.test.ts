import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, docker, dockerAvailable, leftovers, runCli, spawnCli, testSession, type CliRun } from '../helpers/cli.js';
import { composeAvailable, composeProject } from '../helpers/compose.js';
import { tmpDir, type TmpDir } from '../helpers/tmp.js';

/**
 * `--compose FILE --service web` on examples/compose-project: redis (its dependency) is started
 * in a project of the run's own and is gone after; the printed override merges with the real
 * file, and `up` with both runs web read-only and healthy. One profiling run (~30 s) serves all.
 */
const FILE = join(ROOT, 'examples/compose-project/compose.yaml');
const withCompose = composeAvailable() || process.env['CI'] === 'true';

describe.skipIf(!dockerAvailable() || !withCompose)('ro-profile --compose', () => {
  const session = testSession('compose-source');
  // The file takes APP_SECRET from the environment: a value of this run only, to look for.
  const secret = `s3cret-${randomBytes(6).toString('hex')}`;
  let dir: TmpDir | undefined;
  let run: CliRun;

  beforeAll(async () => {
    dir = tmpDir('ro-profile-compose-source-');
    run = await runCli(['--compose', FILE, '--service', 'web', '--format', 'all', '--out', dir.path], { session, env: { APP_SECRET: secret } });
  }, 170_000);

  afterAll(() => dir?.[Symbol.dispose]());

  it('profiles the service, its dependency started and healthy first, and the override verified on the file', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/compose +starting redis \(project ro-profile-/);
    expect(run.stderr).toMatch(/compose +healthy: redis/);
    const result = JSON.parse(readFileSync(join(dir!.path, 'result.json'), 'utf8'));
    expect(result.verification.at(-1)).toMatchObject({ format: 'compose', runtime: 'docker-compose', result: 'pass' });
    // The outputs name the file's volume, not the run's project-scoped one, and no temp network.
    expect(result.run.volumes).toEqual(['uploads:/app/uploads:rw']);
    expect(result.run.network).toBeUndefined();
  });

  it('leaves nothing behind: no labelled object, no container of the run\'s compose project', async () => {
    expect(await leftovers(session)).toEqual([]);
    const all = await docker.listContainers({ all: true, filters: { label: ['com.docker.compose.project'] } });
    const ours = all.filter((c) => (c.Labels['com.docker.compose.project'] ?? '').startsWith(`ro-profile-${session}`.toLowerCase()));
    expect(ours.map((c) => c.Names)).toEqual([]);
    const volumes = (await docker.listVolumes()).Volumes ?? [];
    expect(volumes.map((v) => v.Name).filter((n) => n.startsWith(`ro-profile-${session}`.toLowerCase()))).toEqual([]);
  });

  it('never prints the environment\'s values: not on stdout or stderr, not in any output file', () => {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
    for (const f of readdirSync(dir!.path)) expect(readFileSync(join(dir!.path, f), 'utf8'), f).not.toContain(secret);
  });

  it('prints an override of that service only, which docker-compose merges with the file', async () => {
    const override = join(dir!.path, 'compose.override.yaml');
    const doc = parse(readFileSync(override, 'utf8'));
    expect(Object.keys(doc.services)).toEqual(['web']);
    expect(doc.services.web).toMatchObject({ read_only: true });
    expect(doc.services.web.image).toBeUndefined();
    const merged = await composeProject('compose-source-config', [FILE, override]).run(['config']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(parse(merged.stdout).services.web).toMatchObject({ read_only: true, image: 'ro-profile-fixture/python-wsgi:latest' });
  });

  it('`up` with the file and the override runs web read-only and healthy', async () => {
    const project = composeProject('compose-source-up', [FILE, join(dir!.path, 'compose.override.yaml')]);
    try {
      await project.up();
      const ps = await project.run(['ps', '-q', 'web']);
      const id = ps.stdout.trim();
      expect(id).not.toBe('');
      let info = await docker.getContainer(id).inspect();
      expect(info.HostConfig.ReadonlyRootfs).toBe(true);
      for (let i = 0; i < 60 && info.State.Health?.Status !== 'healthy' && info.State.Running; i++) {
        await new Promise((r) => setTimeout(r, 500));
        info = await docker.getContainer(id).inspect();
      }
      expect(info.State.Health?.Status, (await project.run(['logs', 'web'])).stdout).toBe('healthy');
    } finally {
      const down = await project.down();
      expect(down.code, down.stderr).toBe(0);
    }
  }, 60_000);

  it('asks which service when the file has several, listing them (exit 2)', async () => {
    const r = await runCli(['--compose', FILE, '--no-verify'], { session });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the compose file defines 2 services (redis, web); say which one to profile');
  });

  it('Ctrl-C mid-exercise takes the dependencies down too (exit 130)', async () => {
    const s = testSession('compose-source-int');
    const child = spawnCli(['--compose', FILE, '--service', 'web', '--no-verify', '--duration', '60s'], { session: s });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    const deadline = Date.now() + 60_000;
    while (!stderr.includes('--duration') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // redis, its network and the volumes are there, labelled as the run's.
    expect((await leftovers(s)).filter((x) => x.startsWith('network')).length, stderr).toBe(1);
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(await leftovers(s)).toEqual([]);
  }, 90_000);

  it('says a file that is not there is not there (exit 2)', async () => {
    const r = await runCli(['--compose', join(ROOT, 'no-such-compose.yaml')], { session });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-compose.yaml" cannot be read: ENOENT');
  });

  it('passes on what docker-compose says of a file it refuses (exit 2)', async () => {
    using bad = tmpDir('ro-profile-compose-bad-');
    const file = bad.write('compose.yaml', 'services:\n  web:\n    image: x\n    ports: 8000\n');
    const r = await runCli(['--compose', file, '--no-verify'], { session });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/docker-compose cannot read .*compose\.yaml: .*ports/s);
    expect(r.stderr).toContain('hint:');
  });
});
