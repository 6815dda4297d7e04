import { parse } from 'yaml';
import { emitK8s } from '../emit/k8s.js';
import { RoProfileError, messageOf } from '../errors.js';
import type { ContainerCreateSpec, Engine } from '../runtime/engine.js';
import { WRITABLE, buildCreateSpec, userMountTargets } from '../pipeline/launch-spec.js';
import type { Launcher } from './launcher.js';
import { verifyVolumeName } from './verify-volume-name.js';
import type { RunContext } from './observe.js';
import { once } from './once.js';
import type { Mount } from '../model/mount-plan.js';
import type { Result } from '../model/result.js';
import { gateVolumeName, installVerifyGate, withGate } from './traced-runs.js';
import { containerSpecOf, kubeletVolumeCommand, podSpecOf, withoutPassThrough, type PodSpec } from './pod.js';

/**
 * The printed Kubernetes Pod, run by Docker the way a kubelet would: each Pod volume a fresh,
 * empty, root-owned Docker volume (emptyDir 0777, claim 0755, chgrp-ed to fsGroup and g+rwxs
 * when the Pod sets one), the init containers run to completion first (each must exit 0), then
 * the app container created with the Pod's user, command, read-only root and fsGroup. The
 * volumes outlive a restart of the app container, as an emptyDir outlives a container restart
 * in its Pod: state the first start leaves there (a lock, a pid file) is still there.
 *
 * Not a kubelet: the image's HEALTHCHECK stays (readiness is judged by the same rule as the
 * writable run), a sizeLimit is not enforced, and the run's own mounts, network and env-file
 * variables are added, as the YAML's comments ask the user to.
 */
export const k8sLauncher: Launcher = podLauncher('docker (kubelet-like emptyDir)', (result, mounts) => podSpecOf(parse(emitK8s({ ...result, plan: { mounts } }, { kind: 'pod', patch: false, memory: false }))));

/** A launcher that runs, as above, the pod spec `specFor` gives for the mounts tried (the printed Pod, or a user's workload as patched). */
export function podLauncher(runtime: string, specFor: (result: Result, mounts: readonly Mount[]) => PodSpec): Launcher {
  return {
    format: 'k8s',
    runtime,
    async version() {
      // The engine's version: the caller fills it in.
      return '';
    },
    async launch(ctx, result, mounts, tag) {
      const spec = withoutPassThrough(specFor(result, mounts), userMountTargets(result.run));
      // Memory and CPU come from the Pod's resources.limits (containerSpecOf); pids from the limits, as a node's podPidsLimit would cap them.
      const app = buildCreateSpec({ image: ctx.image, run: result.run, secrets: ctx.secrets, labels: ctx.labels, limits: result.limits ? { ...ctx.limits, pidsLimit: result.limits.pids } : ctx.limits, hardening: WRITABLE, cwd: ctx.cwd });
      const pod = podResources(ctx.engine);
      ctx.scope.add(`kubelet-like pod (${tag})`, pod.dispose);
      try {
        for (const v of spec.volumes ?? []) {
          // Keyed on the Pod volume, which may serve several mounts (one claim per named volume).
          await pod.volume(v.name, verifyVolumeName(ctx, tag, `pod-volume:${v.name}`), ctx.labels);
        }
        await asKubeletMakesThem(ctx, spec, pod, app, result.fs.tools?.sh === false);
        // An openshift level's Pod names no user: the platform assigns one, as verification does here.
        const assigned = result.hardening?.arbitraryUid && result.hardening.user ? { assignedUser: `${result.hardening.user.uid}:${result.hardening.user.gid}` } : {};
        const translate = { imageRef: result.run.image, volumes: pod.volumes, secrets: ctx.secrets, imageUser: ctx.image.user, ...assigned };
        for (const c of spec.initContainers ?? []) {
          const r = await runToEnd(ctx.engine, await pod.create(containerSpecOf(c, spec, { ...translate, base: initBase(app) })));
          if (r.exitCode !== 0) {
            throw new RoProfileError('CONTAINER_FAILED', `the init container ${c.name} exited ${r.exitCode}${r.output ? `: ${r.output}` : ''}`, {
              hint: 'It copies what the image ships into an emptyDir; run the printed Pod to see why it cannot.',
            });
          }
        }
        const container = containerSpecOf(spec.containers[0]!, spec, { ...translate, base: app });
        if (!ctx.tracing) return { id: await pod.create(container), dispose: pod.dispose };
        // Traced: the Pod's command (the run's, as the writable run had it) behind the gate, on a volume of its own.
        const gate = gateVolumeName(ctx, tag);
        await pod.volume('', gate, ctx.labels);
        const id = await pod.create(withGate(container, ctx.image, result.run, gate));
        await installVerifyGate(ctx.engine, id, ctx.tracing);
        return { id, gated: true, dispose: pod.dispose };
      } catch (e) {
        await pod.dispose().catch(() => undefined);
        throw e;
      }
    },
  };
}

/** What a launch made on the engine, removed once by `dispose`: containers (last first), then volumes. */
function podResources(engine: Engine) {
  const containers: string[] = [];
  const volumes = new Map<string, string>();
  return {
    /** Pod volume name → Docker volume. */
    volumes: volumes as ReadonlyMap<string, string>,
    async volume(podName: string, name: string, labels: Readonly<Record<string, string>>) {
      volumes.set(podName, name);
      await engine.createVolume(name, labels);
    },
    async create(s: ContainerCreateSpec) {
      const id = await engine.createContainer(s);
      containers.push(id);
      return id;
    },
    dispose: once(async () => {
      const errors: unknown[] = [];
      for (const id of [...containers].reverse()) await engine.removeContainer(id).catch((e: unknown) => void errors.push(e));
      for (const v of volumes.values()) await engine.removeVolume(v).catch((e: unknown) => void errors.push(e));
      if (errors.length > 0) throw errors[0];
    }),
  };
}

/** An init container shares the Pod's network and limits; the run's own mounts and variables are the app's. */
function initBase(app: ContainerCreateSpec): ContainerCreateSpec {
  return {
    image: app.image,
    labels: app.labels,
    env: [],
    binds: [],
    mounts: [],
    tmpfs: {},
    readOnlyRoot: false,
    publishLoopback: [],
    ...(app.network !== undefined ? { network: app.network } : {}),
    memoryBytes: app.memoryBytes,
    pidsLimit: app.pidsLimit,
  };
}

/**
 * Gives each fresh volume a kubelet's owner and mode, from a short-lived container of the app's
 * own image run as root with its own shell and chmod (no other image is pulled): Docker makes a
 * volume root 0755, an emptyDir is 0777.
 */
async function asKubeletMakesThem(ctx: RunContext, spec: PodSpec, pod: ReturnType<typeof podResources>, app: ContainerCreateSpec, noShell: boolean): Promise<void> {
  const vols = spec.volumes ?? [];
  if (vols.length === 0) return;
  if (noShell) throw toolsMissing(ctx.image.ref, 'no shell');
  const dir = (i: number) => `/ro-profile-v/${i}`;
  const script = vols.map((v, i) => kubeletVolumeCommand(v, spec.securityContext?.fsGroup, dir(i))).join(' && ');
  const id = await pod.create({
    ...initBase(app),
    user: '0',
    entrypoint: ['sh', '-c'],
    cmd: [`set -e; ${script}`],
    mounts: vols.map((v, i) => ({ type: 'volume', source: pod.volumes.get(v.name)!, target: dir(i), readOnly: false, noCopy: true })),
    readOnlyRoot: true,
    network: 'none',
  });
  const r = await runToEnd(ctx.engine, id).catch((e: unknown) => {
    // No shell: the engine cannot start the container at all.
    throw /executable file not found|no such file or directory/i.test(messageOf(e)) ? toolsMissing(ctx.image.ref, 'no shell') : e;
  });
  // 127: the shell found no such command.
  if (r.exitCode === 127) throw toolsMissing(ctx.image.ref, 'not all of them');
  if (r.exitCode !== 0) throw new RoProfileError('INTERNAL', `giving the Pod's volumes their owner and mode failed (exit ${r.exitCode})${r.output ? `: ${r.output}` : ''}`);
  await ctx.engine.removeContainer(id);
}

function toolsMissing(image: string, what: string): RoProfileError {
  return new RoProfileError('USAGE', `--verify-with k8s needs a shell, chown and chmod in "${image}" to give each fresh volume the owner and mode a kubelet gives it, and the image has ${what}`, {
    hint: 'Verify with --verify-with run or compose, or print the Pod unverified with --no-verify.',
  });
}

/** Starts a created container and waits for its end: exit code and the last lines it printed. */
async function runToEnd(engine: Engine, id: string): Promise<{ exitCode: number; output: string }> {
  await engine.startContainer(id);
  const exitCode = await engine.waitExit(id);
  const logs = await engine.logs(id).catch(() => ({ stdout: '', stderr: '' }));
  return { exitCode, output: `${logs.stdout}${logs.stderr}`.trim().split('\n').slice(-20).join('\n') };
}
