import { describe, expect, it } from 'vitest';
import { SEED_SCRIPT } from '../../../src/emit/k8s.js';
import type { Mount } from '../../../src/model/mount-plan.js';
import type { Result } from '../../../src/model/result.js';
import { CleanupScope } from '../../../src/pipeline/cleanup-scope.js';
import { silentReporter } from '../../../src/pipeline/reporter.js';
import type { ContainerCreateSpec } from '../../../src/runtime/engine.js';
import { k8sLauncher } from '../../../src/verify/k8s-launcher.js';
import type { RunContext } from '../../../src/verify/observe.js';
import { EngineFake, LOCAL_ENGINE } from '../../helpers/engine-fake.js';
import { sampleResult } from '../../helpers/sample-result.js';
import { sampleMount } from '../../helpers/samples.js';

const LABELS = { 'io.ro-profile.managed': 'true', 'io.ro-profile.session': 'unit', 'io.ro-profile.pid': '42' };

/** The engine as the launcher drives it: containers numbered c1, c2… in order of creation. */
class PodEngine extends EngineFake {
  readonly created: ContainerCreateSpec[] = [];
  readonly volumes = new Set<string>();
  readonly volumeCalls: [string, Readonly<Record<string, string>>][] = [];
  readonly started: string[] = [];
  readonly removed: string[] = [];
  /** Exit code of a container run to its end, by the index of its creation (1-based). */
  exits = new Map<number, number>();

  override async createVolume(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    this.volumeCalls.push([name, labels]);
    this.volumes.add(name);
  }
  override async removeVolume(name: string): Promise<void> {
    this.volumes.delete(name);
  }
  override async createContainer(spec: ContainerCreateSpec): Promise<string> {
    this.created.push(spec);
    return `c${this.created.length}`;
  }
  override async startContainer(id: string): Promise<void> {
    this.started.push(id);
  }
  override async waitExit(id: string): Promise<number> {
    return this.exits.get(Number(id.slice(1))) ?? 0;
  }
  override async removeContainer(id: string): Promise<void> {
    this.removed.push(id);
  }
}

function context(engine: PodEngine, result: Result): RunContext {
  return {
    engine,
    engineInfo: LOCAL_ENGINE,
    image: result.image,
    run: result.run,
    secrets: new Map([['DATABASE_PASSWORD', 's3cr=t'], ['TZ', 'UTC']]),
    limits: { memoryBytes: 1024 ** 3, pidsLimit: 512 },
    cwd: '/home/dev/project',
    labels: LABELS,
    stopTimeoutSec: 10,
    signal: new AbortController().signal,
    scope: new CleanupScope(silentReporter),
  };
}

/** The sample (a claim on /srv/app/data, an emptyDir on /var/log/app, fsGroup 1000) plus a seeded /etc/app. */
function withSeed(): { result: Result; mounts: Mount[] } {
  const result = sampleResult();
  const seeded = sampleMount({ path: '/etc/app', kind: 'seeded', volumeName: 'example-app-1-etc-app', uid: 1000, gid: 1000, hides: ['app.conf'] });
  return { result, mounts: [...result.plan.mounts, seeded] };
}

describe('k8sLauncher', () => {
  it('makes fresh volumes as a kubelet does, runs the seed, and creates (never starts) the app', async () => {
    const { result, mounts } = withSeed();
    const engine = new PodEngine();
    const ctx = context(engine, result);
    const launched = await k8sLauncher.launch(ctx, result, mounts, 'final');

    const names = [...engine.volumes];
    expect(names).toHaveLength(3);
    for (const n of names) expect(n).toMatch(/^ro-profile-verify-final-[0-9a-f]{10}$/);
    expect(engine.volumeCalls.map(([, labels]) => labels)).toEqual([LABELS, LABELS, LABELS]);

    const [helper, seed, app] = engine.created;
    // 1. Owner and mode, as root, from the app's own image, on no network.
    expect(helper).toMatchObject({ image: result.image.id, user: '0', entrypoint: ['sh', '-c'], network: 'none', labels: LABELS, readOnlyRoot: true });
    expect(helper!.cmd![0]).toBe(
      'set -e; ' +
        [
          'chown 0:0 /ro-profile-v/0 && chmod 755 /ro-profile-v/0 && chgrp 1000 /ro-profile-v/0 && chmod g+rwxs /ro-profile-v/0',
          'chown 0:0 /ro-profile-v/1 && chmod 777 /ro-profile-v/1 && chgrp 1000 /ro-profile-v/1 && chmod g+rwxs /ro-profile-v/1',
          'chown 0:0 /ro-profile-v/2 && chmod 777 /ro-profile-v/2 && chgrp 1000 /ro-profile-v/2 && chmod g+rwxs /ro-profile-v/2',
        ].join(' && '),
    );
    expect(helper!.mounts.map((m) => [m.source, m.target, m.noCopy])).toEqual(names.map((n, i) => [n, `/ro-profile-v/${i}`, true]));

    // 2. The seed, to its end, hardened as the YAML says, with fsGroup.
    expect(seed).toMatchObject({ image: result.image.id, entrypoint: ['sh', '-c', SEED_SCRIPT, '/etc/app'], cmd: [], readOnlyRoot: true, groupAdd: ['1000'], labels: LABELS, env: [] });
    expect(seed!.mounts).toEqual([{ type: 'volume', source: names[2], target: '/ro-profile-seed', readOnly: false, noCopy: true }]);

    // 3. The app: created only; the caller starts, observes and restarts it.
    expect(launched.id).toBe('c3');
    expect(engine.started).toEqual(['c1', 'c2']);
    expect(app).toMatchObject({
      image: result.image.id,
      user: '1000:1000',
      entrypoint: ['/entrypoint.sh'],
      cmd: ['/srv/app/bin/serve', '--port', '8080'],
      env: ['DATABASE_PASSWORD=s3cr=t', 'TZ=UTC'],
      readOnlyRoot: true,
      tmpfs: {},
      groupAdd: ['1000'],
      publishLoopback: [8080],
      memoryBytes: 1024 ** 3,
      pidsLimit: 512,
      labels: LABELS,
    });
    expect(app!.mounts).toEqual([
      // The user's own --mount, which the YAML's comment asks them to add, then the Pod's volumes.
      expect.objectContaining({ type: 'volume', source: 'cache', target: '/srv/app/cache' }),
      { type: 'volume', source: names[0], target: '/srv/app/data', readOnly: false, noCopy: true },
      { type: 'volume', source: names[1], target: '/var/log/app', readOnly: false, noCopy: true },
      { type: 'volume', source: names[2], target: '/etc/app', readOnly: false, noCopy: true },
    ]);

    // The helper goes at once; everything else with dispose, which the scope may call again.
    expect(engine.removed).toEqual(['c1']);
    await launched.dispose();
    await ctx.scope.dispose();
    expect(engine.removed).toEqual(['c1', 'c3', 'c2', 'c1']);
    expect(engine.volumes.size).toBe(0);
  });

  it('names the volumes apart per launch, never as the user\'s claim', async () => {
    const { result } = withSeed();
    const engine = new PodEngine();
    const ctx = context(engine, result);
    await k8sLauncher.launch(ctx, result, result.plan.mounts, 'r1');
    await k8sLauncher.launch(ctx, result, result.plan.mounts, 'r2');
    const names = engine.volumeCalls.map(([name]) => name);
    expect(new Set(names).size).toBe(4);
    expect(names).not.toContain('example-app-1-srv-app-data');
    await ctx.scope.dispose();
  });

  it('fails on an init container that exits non-zero, with its output, leaving nothing behind', async () => {
    const { result, mounts } = withSeed();
    const engine = new PodEngine();
    engine.exits.set(2, 1);
    engine.logOutput = { stdout: '', stderr: "cp: can't create '/ro-profile-seed/app.conf': Permission denied\n" };
    const ctx = context(engine, result);
    await expect(k8sLauncher.launch(ctx, result, mounts, 'r1')).rejects.toMatchObject({
      code: 'CONTAINER_FAILED',
      message: "the init container seed-0 exited 1: cp: can't create '/ro-profile-seed/app.conf': Permission denied",
    });
    expect(engine.created).toHaveLength(2);
    expect(new Set(engine.removed)).toEqual(new Set(['c1', 'c2']));
    expect(engine.volumes.size).toBe(0);
  });

  it('says so when the image has no shell or chmod to prepare the volumes with', async () => {
    const result = sampleResult();
    const noShell: Result = { ...result, fs: { ...result.fs, tools: { sh: false, cp: false } } };
    const engine = new PodEngine();
    await expect(k8sLauncher.launch(context(engine, noShell), noShell, noShell.plan.mounts, 'r1')).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/no shell/) });
    expect(engine.created).toEqual([]);
    expect(engine.volumes.size).toBe(0);

    const noChmod = new PodEngine();
    noChmod.exits.set(1, 127);
    await expect(k8sLauncher.launch(context(noChmod, result), result, result.plan.mounts, 'r1')).rejects.toMatchObject({ code: 'USAGE' });
    expect(noChmod.volumes.size).toBe(0);
  });

  it('needs no helper when the plan gives the Pod no volume', async () => {
    const result = sampleResult();
    const engine = new PodEngine();
    const launched = await k8sLauncher.launch(context(engine, result), result, [], 'r1');
    expect(engine.created).toHaveLength(1);
    expect(launched.id).toBe('c1');
    expect(engine.created[0]).not.toHaveProperty('groupAdd');
  });
});
