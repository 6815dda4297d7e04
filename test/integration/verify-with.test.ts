import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitK8s } from '../../src/emit/k8s.js';
import type { Result } from '../../src/model/result.js';
import { LABEL_SESSION } from '../../src/runtime/labels.js';
import { FIXTURE, docker, dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';
import { composeAvailable } from '../helpers/compose.js';

/**
 * --verify-with compose and k8s: the same verification, run through the printed compose file
 * (docker-compose) and through the printed Pod (Docker with a kubelet's volumes). Each must pass
 * where the config is right, record what ran it, and leave nothing behind: no container or
 * volume of the session, no compose project or network. The stale-lock fixture tells the
 * formats apart: its lock survives a container restart on an emptyDir, not on a tmpfs.
 *
 * Without docker-compose on the PATH the compose runs skip, except with CI=true, where they fail.
 */
const withCompose = composeAvailable() || process.env['CI'] === 'true';
const STALE_LOCK = 'ro-profile-fixture/stale-lock:latest';
const WRITE_CHECK = 'ro-profile-fixture/write-check:latest';

/** What docker-compose made for the session and left: its containers and networks. */
async function composeLeftovers(session: string): Promise<string[]> {
  const containers = await docker.listContainers({ all: true, filters: { label: ['com.docker.compose.project', `${LABEL_SESSION}=${session}`] } });
  const networks = await docker.listNetworks({ filters: { label: [`${LABEL_SESSION}=${session}`] } });
  const projects = containers.map((c) => c.Labels['com.docker.compose.project'] ?? '');
  return [...projects.map((p) => `compose project ${p}`), ...networks.map((n) => `network ${n.Name}`)];
}

async function verifyWith(name: string, image: string, format: string, extra: string[] = []): Promise<Result> {
  const session = testSession(`verify-with-${name}`);
  const r = await runCli([image, '--verify-with', format, '--format', 'json', ...extra], { session });
  expect(r.code, r.stderr).toBe(0);
  expect(await leftovers(session)).toEqual([]);
  expect(await composeLeftovers(session)).toEqual([]);
  return JSON.parse(r.stdout) as Result;
}

const finalRound = (r: Result) => r.verification[0]?.rounds.find((x) => x.kind === 'final');

describe.skipIf(!dockerAvailable())('--verify-with', () => {
  it.skipIf(!withCompose)('compose: busybox-app verified through docker-compose, nothing left behind', async () => {
    const r = await verifyWith('compose-busybox', FIXTURE.busybox, 'compose');
    expect(r.verification).toHaveLength(1);
    expect(r.verification[0]).toMatchObject({ format: 'compose', runtime: 'docker-compose', version: expect.stringMatching(/^\d+\.\d+/), result: 'pass' });
    expect(finalRound(r)).toMatchObject({ result: 'pass' });
  });

  // Traced verification through each format's own launcher: the gate on a volume of its own.
  it.skipIf(!withCompose)('compose, traced: the write check write-check fails under is found by the trace and repaired', async () => {
    const r = await verifyWith('compose-write-check', WRITE_CHECK, 'compose', ['--tracer', 'strace', '--tracer-base', FIXTURE.base]);
    expect(r.verification[0]).toMatchObject({ format: 'compose', result: 'pass' });
    expect(r.verification[0]?.rounds[0]).toMatchObject({ result: 'fail', refused: ['EROFS /srv/uploads'], repaired: ['/srv/uploads'] });
  });

  it('k8s, traced: the same through the Pod', async () => {
    const r = await verifyWith('k8s-write-check', WRITE_CHECK, 'k8s', ['--tracer', 'strace', '--tracer-base', FIXTURE.base]);
    expect(r.verification[0]).toMatchObject({ format: 'k8s', result: 'pass' });
    expect(r.verification[0]?.rounds[0]).toMatchObject({ result: 'fail', refused: ['EROFS /srv/uploads'], repaired: ['/srv/uploads'] });
  });

  it('k8s: a claim over shipped content (seeded-data\'s schema) is seeded by an init container, and the Pod verifies', async () => {
    const r = await verifyWith('k8s-seeded-data', 'ro-profile-fixture/seeded-data:latest', 'k8s');
    expect(r.plan.mounts.map((m) => [m.path, m.kind])).toEqual([['/var/lib/app', 'volume']]);
    expect(r.verification[0]).toMatchObject({ format: 'k8s', result: 'pass' });
    expect(r.verification[0]?.rounds[0]).toMatchObject({ result: 'pass' });
  });

  it('k8s: the Pod carries the run\'s own -v (a claim of that name) and --env-file (an envFrom Secret), and verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ro-profile-passthrough-'));
    try {
      writeFileSync(join(dir, 'app.env'), 'APP_MODE=blue\n');
      const volume = `ro-profile-pt-${process.pid}`;
      const r = await verifyWith('k8s-passthrough', FIXTURE.busybox, 'k8s', ['-v', `${volume}:/srv/data`, '--env-file', join(dir, 'app.env'), '--exec', 'test "$APP_MODE" = blue && test -d /srv/data']);
      expect(r.verification[0]).toMatchObject({ format: 'k8s', result: 'pass' });
      const pod = parse(emitK8s(r, { kind: 'pod', patch: false, memory: false }));
      expect(pod.spec.volumes).toContainEqual({ name: `user-${volume}`, persistentVolumeClaim: { claimName: volume } });
      expect(pod.spec.containers[0].volumeMounts).toContainEqual({ name: `user-${volume}`, mountPath: '/srv/data' });
      expect(pod.spec.containers[0].envFrom).toEqual([{ secretRef: { name: 'app-env' } }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('k8s: busybox-app verified as a kubelet would run its Pod, nothing left behind', async () => {
    const r = await verifyWith('k8s-busybox', FIXTURE.busybox, 'k8s');
    expect(r.verification).toHaveLength(1);
    expect(r.verification[0]).toMatchObject({ format: 'k8s', runtime: 'docker (kubelet-like emptyDir)', version: (await docker.version()).Version, result: 'pass' });
    expect(finalRound(r)).toMatchObject({ result: 'pass' });
  });

  it('stale-lock: the Pod\'s emptyDir keeps the lock across a restart, the docker run line\'s tmpfs does not', async () => {
    const k8s = await verifyWith('k8s-stale-lock', STALE_LOCK, 'k8s', ['--leave-one-out', '0']);
    expect(k8s.verification[0]?.format).toBe('k8s');
    const restarted = finalRound(k8s)?.differences.filter((d) => d.kind === 'restart') ?? [];
    const finding = k8s.findings.find((f) => f.kind === 'restart-state');
    expect(restarted.length > 0 || finding !== undefined, JSON.stringify(k8s.verification, null, 2)).toBe(true);
    expect(finding?.evidence.join('\n')).toContain('/run/stale-lock/app.lock');

    const run = await verifyWith('run-stale-lock', STALE_LOCK, 'run', ['--leave-one-out', '0']);
    expect(run.verification[0]).toMatchObject({ format: 'run', result: 'pass' });
    expect(finalRound(run)).toMatchObject({ result: 'pass', differences: [] });
    expect(run.findings.map((f) => f.kind)).not.toContain('restart-state');
  });
});
