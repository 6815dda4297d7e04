import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { limitsForMounts } from '../../src/analyze/limits.js';
import { startMeter } from '../../src/pipeline/usage-meter.js';
import { DockerEngine } from '../../src/runtime/docker-engine.js';
import { LABEL_ROLE, LABEL_SESSION } from '../../src/runtime/labels.js';
import { FIXTURE, dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';
import { watchContainers } from '../helpers/engine-events.js';
import { composeAvailable } from '../helpers/compose.js';

const withCompose = composeAvailable() || process.env['CI'] === 'true';
const MiB = 1024 * 1024;

interface Created {
  readonly role: string;
  readonly readOnly: boolean;
  readonly memory: number;
  readonly nanoCpus: number;
  readonly pidsLimit: number;
}

/** Every container the session creates, as the engine holds it. */
function watchCreated(session: string): Promise<{ stop(): Promise<Created[]> }> {
  return watchContainers(session, 'create', (c) => ({ role: c.Config.Labels[LABEL_ROLE] ?? '', readOnly: c.HostConfig.ReadonlyRootfs === true, memory: c.HostConfig.Memory ?? 0, nanoCpus: c.HostConfig.NanoCpus ?? 0, pidsLimit: c.HostConfig.PidsLimit ?? 0 }));
}

async function profileWatched(name: string, args: string[]): Promise<{ result: Result; created: Created[] }> {
  const session = testSession(`limits-${name}`);
  const watch = await watchCreated(session);
  const r = await runCli(args, { session });
  const created = await watch.stop();
  expect(r.code, r.stderr).toBe(0);
  expect(await leftovers(session)).toEqual([]);
  return { result: JSON.parse(r.stdout) as Result, created };
}

/** The hardened app containers: read-only root, made by verification. */
const hardened = (cs: readonly Created[]) => cs.filter((c) => c.role === 'verify' && c.readOnly);

function expectMeasured(r: Result): void {
  for (const u of [r.usage?.profile, r.usage?.verify]) {
    expect(u).toBeDefined();
    // This machine is the engine's host: the kernel's counters, not the stats API.
    expect(u!.source).toMatch(/^cgroup-v[12]$/);
    expect(u!.samples).toBeGreaterThan(0);
    expect(u!.memoryPeakBytes).toBeGreaterThan(256 * 1024);
    expect(u!.memoryPeakBytes).toBeLessThan(512 * MiB);
    expect(u!.workingSetPeakBytes).toBeLessThanOrEqual(u!.memoryPeakBytes);
    expect(u!.pidsPeak).toBeGreaterThanOrEqual(1);
    expect(u!.cpuSeconds).toBeGreaterThan(0);
  }
  // Each tmpfs of the final config was sampled in the verification run.
  const tmpfs = r.plan.mounts.filter((m) => m.kind === 'tmpfs').map((m) => m.path);
  if (r.verification[0]?.format !== 'k8s') expect(r.usage!.verify!.mounts.map((m) => m.path)).toEqual([...tmpfs].sort());
  expect(r.usage!.profile!.mounts.filter((m) => m.source === 'written').map((m) => m.path)).toEqual(r.plan.mounts.map((m) => m.path));
}

describe.skipIf(!dockerAvailable())('limits from what was measured', () => {
  it('run: nginx profiled, limits chosen from its use, the verification containers run under them and pass', async () => {
    const { result: r, created } = await profileWatched('run', [FIXTURE.nginx, '--format', 'json']);
    expect(r.verification[0]).toMatchObject({ format: 'run', result: 'pass' });
    expectMeasured(r);
    const l = r.limits!;
    expect(l).toMatchObject({ policy: 'starter', headroom: 2 });
    expect(l.appMemoryBytes).toBeGreaterThanOrEqual(Math.max(64 * MiB, r.usage!.profile!.workingSetPeakBytes * 2));
    expect(l.pids).toBeGreaterThanOrEqual(Math.max(64, r.usage!.profile!.pidsPeak * 2));
    const memory = limitsForMounts(l, r.plan.mounts).memoryBytes;
    expect(l.memoryBytes).toBe(memory);
    // The final run (the last hardened container) had exactly the printed limits.
    const last = hardened(created).at(-1);
    expect(last).toEqual({ role: 'verify', readOnly: true, memory, nanoCpus: Math.round(l.cpus * 1e9), pidsLimit: l.pids });
    // The profiling run had the caps of untrusted code, not the limits.
    expect(created.find((c) => c.role === 'profile')).toMatchObject({ readOnly: false, memory: 1024 * MiB, pidsLimit: 512, nanoCpus: 0 });
  });

  it.skipIf(!withCompose)('compose: mem_limit, cpus and pids_limit of the printed file are what docker-compose gave the container', async () => {
    const { result: r, created } = await profileWatched('compose', [FIXTURE.nginx, '--format', 'json', '--verify-with', 'compose', '--limits', 'strict']);
    expect(r.verification[0]).toMatchObject({ format: 'compose', result: 'pass' });
    expectMeasured(r);
    const l = r.limits!;
    expect(l).toMatchObject({ policy: 'strict', headroom: 1.25 });
    // strict sizes each tmpfs from what was written (nginx writes a few KiB), not at the 64 MiB floor: Docker's memory holds them whole.
    const tmpfs = r.plan.mounts.filter((m) => m.kind === 'tmpfs');
    expect(tmpfs.length).toBeGreaterThan(0);
    for (const m of tmpfs) expect(m.sizeBytes).toBe(Math.max(8 * MiB, Math.ceil((m.observedBytes * 4) / MiB) * MiB));
    expect(r.analysis.minTmpfsBytes).toBe(8 * MiB);
    expect(l.memoryBytes).toBe(l.appMemoryBytes + tmpfs.reduce((n, m) => n + m.sizeBytes, 0));
    const last = hardened(created).at(-1);
    expect(last).toEqual({ role: 'verify', readOnly: true, memory: l.memoryBytes, nanoCpus: Math.round(l.cpus * 1e9), pidsLimit: l.pids });
  });

  it('k8s: the Pod\'s resources.limits are what the kubelet-like run gave the app container', async () => {
    const { result: r, created } = await profileWatched('k8s', [FIXTURE.nginx, '--format', 'json', '--verify-with', 'k8s', '--headroom', '3']);
    expect(r.verification[0]).toMatchObject({ format: 'k8s', result: 'pass' });
    expectMeasured(r);
    const l = r.limits!;
    expect(l.headroom).toBe(3);
    // Disk-backed emptyDirs: the Pod's memory limit is the app's own.
    const app = hardened(created).at(-1);
    expect(app).toEqual({ role: 'verify', readOnly: true, memory: l.appMemoryBytes, nanoCpus: Math.round(l.cpus * 1e9), pidsLimit: l.pids });
  });

  it('--limits off: no limits in the result, verification under the caps of untrusted code', async () => {
    const { result: r, created } = await profileWatched('off', [FIXTURE.busybox, '--format', 'json', '--limits', 'off']);
    expect(r.limits).toBeUndefined();
    expect(r.usage?.profile).toBeDefined();
    expect(hardened(created).at(-1)).toMatchObject({ memory: 1024 * MiB, pidsLimit: 512, nanoCpus: 0 });
  });

  it("the meter reads the engine's stats API where the cgroup files are not used", async () => {
    const session = testSession('limits-meter');
    const engine = new DockerEngine();
    const id = await engine.createContainer({
      image: FIXTURE.busybox,
      labels: { [LABEL_SESSION]: session, 'io.ro-profile.managed': 'true' },
      env: [],
      entrypoint: ['sh', '-c'],
      cmd: ['for i in 1 2 3 4; do sleep 1 & done; head -c 4000000 /dev/zero > /tmp/x; sleep 30'],
      binds: [],
      mounts: [],
      tmpfs: {},
      readOnlyRoot: false,
      publishLoopback: [],
      memoryBytes: 256 * MiB,
      pidsLimit: 64,
    });
    try {
      await engine.startContainer(id);
      const meter = await startMeter({ engine, engineInfo: await engine.info(), id, source: 'engine-stats', intervalMs: 200 });
      await new Promise((r) => setTimeout(r, 1500));
      const u = await meter.stop();
      expect(u).toMatchObject({ source: 'engine-stats' });
      expect(u!.samples).toBeGreaterThanOrEqual(3);
      // The 4 MB file is in the root filesystem's page cache, charged to the container.
      expect(u!.memoryPeakBytes).toBeGreaterThan(4_000_000);
      expect(u!.pidsPeak).toBeGreaterThanOrEqual(2);
    } finally {
      await engine.removeContainer(id);
    }
    expect(await leftovers(session)).toEqual([]);
  });
});
