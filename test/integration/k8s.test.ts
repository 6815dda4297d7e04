import type { Result } from '../../src/model/result.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ROOT, dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';
import { FIXTURE_CASES, READ_ONLY_ERRORS, type FixtureCase } from '../helpers/fixture-exercises.js';
import { eventually } from '../helpers/hardened-run.js';
import { emptyDirDockerRun, podSpecOf, podmanAvailable, podmanKubePlay, podmanLeftovers, type PodRun } from '../helpers/k8s-run.js';
import { tmpDir, type TmpDir } from '../helpers/tmp.js';
import { profiledFixture } from '../helpers/profiled-fixtures.js';

/**
 * For every fixture: profile it once (`--format all --out DIR`, live, as compose.test.ts does, so
 * the Pod is what ro-profile prints for the image as built here), then run the printed k8s.yaml
 * two ways and check each like the compose suite does: read-only root, no-new-privileges, still
 * running after its exercise passed, nothing about a read-only or permission error in its logs
 * (nor its init containers', which must have exited 0).
 *
 * - `podman kube play`: the YAML itself. Its emptyDir copies up and takes the image directory's
 *   owner, so this proves the YAML plays, not that the ownership is right.
 * - Docker runs with kubelet's volumes: each emptyDir fresh, empty, root-owned 0777 (each claim
 *   0755), fsGroup applied as kubelet applies it. This is the one that proves ownership.
 *
 * Without podman on the PATH the podman runs skip, except with CI=true (.ci/run installs it),
 * where they fail.
 */
const withPodman = podmanAvailable() || process.env['CI'] === 'true';

/**
 * What an init container (a seed, as ro-profile writes them) must not log either: one that exits
 * 0 while its cp says it could not preserve something has met a volume it may not change (busybox
 * cp warns and exits 0 where GNU cp fails the Pod).
 */
const INIT_ERRORS = new RegExp(`${READ_ONLY_ERRORS.source}|operation not permitted`, 'i');

/** The checks both runners share: hardened, init containers done, exercised, still up, clean logs. */
async function podRunsHardened(p: PodRun, fc: FixtureCase): Promise<void> {
  for (const init of p.inits) {
    expect(init.exitCode, `init container ${init.name}:\n${init.logs}`).toBe(0);
    expect(init.readOnlyRoot, `init container ${init.name} has a writable root`).toBe(true);
    expect(init.logs, `init container ${init.name} under ${p.runner}`).not.toMatch(INIT_ERRORS);
  }
  expect(await p.hardening()).toEqual({ readOnlyRoot: true, noNewPrivileges: true, privileged: false });
  try {
    await fc.check(p, { healthcheck: false });
  } catch (e) {
    const s = await p.status().catch(() => undefined);
    throw new Error(`${String(e)}\n--- ${fc.fixture} under ${p.runner}: ${JSON.stringify(s)}, logs:\n${await p.logs()}`, { cause: e });
  }
  const after = await p.status();
  expect(after.running, `${fc.fixture} stopped: exit ${after.exitCode}\n${await p.logs()}`).toBe(true);
  expect(after.restarting).toBe(false);
  expect(after.restarts).toBe(0);
  expect(await p.logs()).not.toMatch(READ_ONLY_ERRORS);
}

/** config-edit: the init container's copy of /etc/app arrived, and the entrypoint edited it; seeded-data: the schema reached the claim. */
async function seededContentArrived(p: PodRun, fc: FixtureCase): Promise<void> {
  if (fc.fixture === 'seeded-data') {
    expect(p.inits.map((i) => i.name)).toEqual(['seed-0']);
    expect(await p.exec(['cat', '/var/lib/app/schema.sql'])).toMatchObject({ exitCode: 0, output: expect.stringContaining('CREATE TABLE IF NOT EXISTS starts') });
    return;
  }
  if (fc.fixture !== 'config-edit') return;
  expect(p.inits.map((i) => i.name)).toEqual(['seed-0']);
  const defaults = await p.exec(['cat', '/etc/app/defaults.env']);
  expect(defaults, 'the shipped /etc/app/defaults.env').toMatchObject({ exitCode: 0, output: expect.stringContaining(': "${SITE:=blue}"') });
  const conf = await p.exec(['cat', '/etc/app/httpd.conf']);
  expect(conf, '/etc/app/httpd.conf, edited in place by the entrypoint').toMatchObject({ exitCode: 0, output: expect.stringMatching(/^H:\/www\/blue$/m) });
}

describe.skipIf(!dockerAvailable())('the printed Kubernetes Pod of every fixture runs read-only and passes its exercise', () => {
  describe.each(FIXTURE_CASES)('$fixture', (fc) => {
    const session = testSession(`k8s-${fc.fixture}`);
    let dir: TmpDir | undefined;
    let pod = '';
    let rootMadeNonRoot = false;

    beforeAll(async () => {
      dir = tmpDir('ro-profile-k8s-');
      const out = await profiledFixture(fc, session);
      pod = readFileSync(join(out, 'k8s.yaml'), 'utf8');
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Result;
      rootMadeNonRoot = result.hardening?.user !== undefined && (result.hardening.processes ?? []).some((p) => p.startsWith('0:'));
      expect(parse(pod)).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
    });

    afterAll(() => dir?.[Symbol.dispose]());

    it.skipIf(!withPodman)('under podman kube play', async (t) => {
      // Podman 4.3 fills an emptyDir with the image directory's owner and mode (root 0755), where a
      // kubelet makes it 0777: a root image that --harden runs as non-root cannot write it there, as
      // it can on a cluster (the kubelet-like run below holds it to the kubelet's semantics).
      if (rootMadeNonRoot) t.skip();
      const p = await podmanKubePlay(pod, session);
      try {
        await podRunsHardened(p, fc);
        await seededContentArrived(p, fc);
      } finally {
        await p.remove();
      }
      expect(await podmanLeftovers(p)).toEqual([]);
    });

    it('as Docker runs with fresh root-owned volumes, as a kubelet makes them', async () => {
      const spec = podSpecOf(parse(pod));
      const fsGroup = spec.securityContext?.fsGroup;
      const p = await emptyDirDockerRun(pod, session);
      try {
        // What the stand-in claims to be: every emptyDir root-owned 0777, every claim 0755,
        // chgrp-ed to fsGroup and g+rwxs where the Pod sets one.
        expect(p.volumes).toEqual(
          (spec.volumes ?? []).map((v) => ({
            name: v.name,
            kind: v.emptyDir ? 'emptyDir' : 'persistentVolumeClaim',
            owner: `0:${fsGroup ?? 0}`,
            mode: fsGroup !== undefined ? (v.emptyDir ? '2777' : '2775') : v.emptyDir ? '777' : '755',
          })),
        );
        await podRunsHardened(p, fc);
        await seededContentArrived(p, fc);
      } finally {
        await p.remove();
      }
      expect(await leftovers(session)).toEqual([]);
    });
  });
});

describe.skipIf(!dockerAvailable() || !withPodman)('--k8s-kind deployment plays under podman', () => {
  // busybox-volume: a claim, two emptyDirs and fsGroup, from its checked-in result (no profiling).
  const fc = FIXTURE_CASES.find((c) => c.fixture === 'busybox-volume')!;
  const session = testSession('k8s-deployment');

  it('emit RESULT.json --format k8s --k8s-kind deployment: a Deployment whose pod runs read-only and passes the exercise', async () => {
    const r = await runCli(['emit', join(ROOT, 'test/fixtures/results/busybox-volume.json'), '--format', 'k8s', '--k8s-kind', 'deployment'], { session });
    expect(r.code, r.stderr).toBe(0);
    const doc = parse(r.stdout);
    expect(doc).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 1, template: { spec: { containers: [{ image: fc.image }] } } } });
    expect(doc.spec.selector.matchLabels).toEqual(doc.spec.template.metadata.labels);
    const p = await podmanKubePlay(r.stdout, session);
    try {
      await podRunsHardened(p, fc);
    } finally {
      await p.remove();
    }
    expect(await podmanLeftovers(p)).toEqual([]);
  });
});

describe.skipIf(!dockerAvailable())('the emptyDir-faithful Docker run catches what podman cannot', () => {
  // A negative control: the same redis Pod without its fsGroup. Podman would pass it (its claim
  // copies up /var/lib/redis with owner redis); a fresh root-owned claim does not let redis save.
  it('seeded-data without its seeding init container: the claim starts empty, the schema is gone, the app exits', async () => {
    const session = testSession('k8s-control-seed');
    const r = await runCli(['emit', join(ROOT, 'test/fixtures/results/seeded-data.json'), '--format', 'k8s'], { session });
    expect(r.code, r.stderr).toBe(0);
    const doc = parse(r.stdout);
    expect(doc.spec.initContainers.map((c: { name: string }) => c.name)).toEqual(['seed-0']);
    delete doc.spec.initContainers;
    // The runner removes what it made when the app does not come up.
    await expect(emptyDirDockerRun(stringify(doc), session)).rejects.toThrow(/the app stopped before .*:8080 accepted a connection; its logs:\n.*cannot open schema\.sql/s);
    expect(await leftovers(session)).toEqual([]);
  });

  it('redis without fsGroup cannot SAVE into its fresh root-owned claim', async () => {
    const session = testSession('k8s-control');
    const r = await runCli(['emit', join(ROOT, 'test/fixtures/results/redis.json'), '--format', 'k8s'], { session });
    expect(r.code, r.stderr).toBe(0);
    const doc = parse(r.stdout);
    expect(doc.spec.securityContext).toEqual({ fsGroup: 101 });
    delete doc.spec.securityContext;
    const p = await emptyDirDockerRun(stringify(doc), session);
    try {
      expect(p.volumes).toEqual([{ name: doc.spec.volumes[0].name, kind: 'persistentVolumeClaim', owner: '0:0', mode: '755' }]);
      await eventually(async () => (await p.exec(['redis-cli', 'PING'])).output.includes('PONG'));
      expect((await p.exec(['redis-cli', 'SAVE'])).output).toMatch(/ERR/);
      expect(await p.logs()).toMatch(/permission denied/i);
    } finally {
      await p.remove();
    }
    expect(await leftovers(session)).toEqual([]);
  });
});
