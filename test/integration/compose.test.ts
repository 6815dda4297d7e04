import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { docker, dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';
import { composeAvailable, composeProject, type ComposeProject, type ComposeRun } from '../helpers/compose.js';
import { FIXTURE_CASES, READ_ONLY_ERRORS, type FixtureCase } from '../helpers/fixture-exercises.js';
import { attachContainer, commandLines, removeVolumes, runPrintedLine, volumeNamesOf, type StartedHardened } from '../helpers/hardened-run.js';
import { tmpDir, type TmpDir } from '../helpers/tmp.js';
import { profiledFixture } from '../helpers/profiled-fixtures.js';

/**
 * For every fixture: profile it once (`--format all --out DIR`), then start what was printed
 * both ways a user would — the docker run line through /bin/sh, and compose.yaml through
 * `docker-compose up` — and check each the same way: a read-only root, no-new-privileges,
 * still running after its exercise passed, and nothing in its logs about a read-only or
 * permission error. Named volumes of the plan are removed before and after each start, so no
 * start sees what an earlier one left in them.
 *
 * Without docker-compose on the PATH the compose starts skip, except with CI=true (.ci/run
 * installs Debian's docker-compose 1.29), where they fail.
 */
const withCompose = composeAvailable() || process.env['CI'] === 'true';

/** The checks both starts share: hardened, exercised, still up, clean logs. */
async function hardenedAndWorking(c: StartedHardened, fc: FixtureCase): Promise<void> {
  const before = await docker.getContainer(c.id).inspect();
  expect(before.HostConfig.ReadonlyRootfs).toBe(true);
  expect(before.HostConfig.SecurityOpt).toContainEqual(expect.stringMatching(/^no-new-privileges(:true)?$/));
  expect(before.HostConfig.Privileged).toBe(false);
  await fc.check(c);
  const after = await docker.getContainer(c.id).inspect();
  expect(after.State.Running, `${fc.fixture} stopped: exit ${after.State.ExitCode}\n${await c.logs()}`).toBe(true);
  expect(after.State.Restarting).toBe(false);
  expect(await c.logs()).not.toMatch(READ_ONLY_ERRORS);
}

/**
 * `down -v` runs in a finally; it must not mask the test's own failure, so it is checked
 * after. A volume still in use is tolerated: the plan's volume names are deterministic (image
 * and path), so another suite profiling the same fixture at the same time may hold it; the
 * project's containers and network must be gone all the same.
 */
async function expectDownClean(project: ComposeProject, down: ComposeRun): Promise<void> {
  if (down.code !== 0) expect(down.stderr, `docker-compose down failed:\n${down.stderr}`).toMatch(/volume is in use/);
  expect(await project.containers()).toEqual([]);
  const networks = await docker.listNetworks({ filters: { label: [`com.docker.compose.project=${project.name}`] } });
  expect(networks.map((n) => n.Name)).toEqual([]);
}

describe.skipIf(!dockerAvailable())('the printed configs of every fixture start read-only and pass its exercise', () => {
  describe.each(FIXTURE_CASES)('$fixture', (fc) => {
    const session = testSession(`compose-${fc.fixture}`);
    let dir: TmpDir | undefined;
    let out = '';
    let volumes: string[] = [];

    beforeAll(async () => {
      dir = tmpDir('ro-profile-compose-');
      out = await profiledFixture(fc, session);
      volumes = volumeNamesOf(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')));
      await removeVolumes(volumes);
    });

    afterAll(async () => {
      await removeVolumes(volumes);
      dir?.[Symbol.dispose]();
    });

    it('docker-run.sh, through /bin/sh', async () => {
      const line = readFileSync(join(out, 'docker-run.sh'), 'utf8');
      expect(commandLines(line)).toHaveLength(1);
      await removeVolumes(volumes);
      const c = await runPrintedLine(line, session);
      try {
        await hardenedAndWorking(c, fc);
      } finally {
        await c.remove();
        await removeVolumes(volumes);
      }
    });

    it.skipIf(!withCompose)('compose.yaml, through docker-compose up', async () => {
      const project = composeProject(fc.fixture, [join(out, 'compose.yaml')]);
      await removeVolumes(volumes);
      let down: ComposeRun | undefined;
      try {
        await project.up();
        const ids = await project.containers();
        expect(ids).toHaveLength(1);
        await hardenedAndWorking(await attachContainer(ids[0]!), fc);
      } finally {
        down = await project.down();
        await removeVolumes(volumes);
      }
      await expectDownClean(project, down);
    });
  });
});

describe.skipIf(!dockerAvailable() || !withCompose)('--compose-override merges into the user\'s own compose file', () => {
  const fc = FIXTURE_CASES.find((c) => c.fixture === 'busybox-volume')!;
  const session = testSession('compose-override');
  let dir: TmpDir | undefined;
  afterAll(() => dir?.[Symbol.dispose]());

  // busybox-volume: a named volume (declared at the top level) and tmpfs mounts with owners,
  // so both the service's and the file's sections have to merge.
  it('-f base.yml -f compose.override.yaml: config shows the hardening merged, and up runs it read-only', async () => {
    dir = tmpDir('ro-profile-override-');
    const out = join(dir.path, 'out');
    const r = await runCli([fc.image, ...fc.args, '--format', 'compose', '--compose-override', '--service', 'web', '--out', out, '-q'], { session });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(['compose.override.yaml']);
    expect(await leftovers(session)).toEqual([]);
    const overrideFile = join(out, 'compose.override.yaml');
    const override = parse(readFileSync(overrideFile, 'utf8'));
    const fragment = override.services.web;
    // Only the hardening: image, ports and the rest stay the user's.
    expect(fragment.image).toBeUndefined();
    expect(fragment.read_only).toBe(true);
    const volumes = Object.keys(override.volumes ?? {});
    expect(volumes).toHaveLength(1);

    // A base without a version key (the compose specification) and one with the "3.8" most
    // existing files carry: docker-compose 1.29 merges the versionless override into both.
    const bases = [
      dir.write('base.yml', `services:\n  web:\n    image: "${fc.image}"\n`),
      dir.write('base-v3.yml', `version: "3.8"\nservices:\n  web:\n    image: "${fc.image}"\n    restart: "no"\n`),
    ];
    for (const base of bases) {
      const config = await composeProject('override-config', [base, overrideFile]).run(['config']);
      expect(config.code, config.stderr).toBe(0);
      const merged = parse(config.stdout);
      expect(merged.services.web).toMatchObject({
        image: fc.image,
        read_only: true,
        security_opt: ['no-new-privileges:true'],
        tmpfs: fragment.tmpfs,
      });
      expect(merged.services.web.volumes).toEqual([expect.stringMatching(new RegExp(`^${volumes[0]}:/data(:rw)?$`))]);
      expect(merged.volumes).toEqual({ [volumes[0]!]: { name: volumes[0] } });
    }

    const project = composeProject('override', [bases[0]!, overrideFile]);
    await removeVolumes(volumes);
    let down: ComposeRun | undefined;
    try {
      await project.up();
      const ids = await project.containers();
      expect(ids).toHaveLength(1);
      const c = await attachContainer(ids[0]!);
      const info = await docker.getContainer(c.id).inspect();
      expect(Object.keys(info.HostConfig.Tmpfs ?? {}).sort()).toEqual(['/run/app', '/var/log/app']);
      expect(info.Mounts.map((m) => [m.Type, m.Name, m.Destination])).toEqual([['volume', volumes[0], '/data']]);
      await hardenedAndWorking(c, fc);
    } finally {
      down = await project.down();
      await removeVolumes(volumes);
    }
    await expectDownClean(project, down);
  });
});
