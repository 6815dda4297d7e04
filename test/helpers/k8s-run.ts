import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { parse, stringify } from 'yaml';
import { LABEL_SESSION } from '../../src/runtime/labels.js';
import { kubeletVolumeCommand, podSpecOf, processOf, userOf, type PodContainer } from '../../src/verify/pod.js';
import { FIXTURE, docker } from './cli.js';
import { attachContainer, type StartedHardened } from './hardened-run.js';
import { tmpDir } from './tmp.js';

/**
 * Two ways to run an emitted Kubernetes Pod (or Deployment) without a cluster:
 *
 * - `podmanKubePlay`: the YAML itself, through `podman kube play`. Real Kubernetes semantics
 *   for what podman implements, but its emptyDir is a podman volume that copies up the image's
 *   directory and takes its owner, so a pass there proves less than it seems.
 * - `emptyDirDockerRun`: the same Pod as Docker runs, with every volume the way a real kubelet
 *   gives it: a fresh, empty, root-owned directory (emptyDir 0777; a claim 0755, like the root
 *   of a new filesystem), chgrp-ed to fsGroup and made g+rwxs where the Pod sets fsGroup, which
 *   every container also gets as a supplementary group; init containers first, each must exit 0.
 *
 * Both hand back a StartedHardened of the app container (so fixture-exercises.ts checks run
 * against it) plus what the test must check, and remove everything they made on every path.
 */

export interface PodRun extends StartedHardened {
  readonly runner: 'podman' | 'docker';
  /** The app container's hardening as its runtime reports it. */
  hardening(): Promise<{ readOnlyRoot: boolean; noNewPrivileges: boolean; privileged: boolean }>;
  status(): Promise<{ running: boolean; restarting: boolean; exitCode: number; restarts: number }>;
  /** The init containers, in order, after they ran. */
  readonly inits: readonly InitRun[];
  /** emptyDirDockerRun: each Pod volume's owner and mode as the containers got it. */
  readonly volumes: readonly VolumeState[];
  /** Names of what was created, for a leftover check after remove(). */
  readonly created: { readonly pods: readonly string[]; readonly containers: readonly string[]; readonly volumes: readonly string[] };
}

export interface InitRun {
  readonly name: string;
  readonly exitCode: number;
  readonly readOnlyRoot: boolean;
  readonly logs: string;
}

export interface VolumeState {
  readonly name: string;
  readonly kind: 'emptyDir' | 'persistentVolumeClaim';
  /** "uid:gid" */
  readonly owner: string;
  /** Octal, as stat %a prints it ("777", "2775"). */
  readonly mode: string;
}

// The part of the Pod API these runners understand is src/verify/pod.ts's: anything else is refused.
export { podSpecOf };

function token(): string {
  return `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
}

/** One TCP connect, with a short timeout of its own: a fresh pod's first SYN may go unanswered. */
function tcpOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/**
 * Readiness without healthchecks (podman runs none without systemd, and the Pod has no probe):
 * every containerPort of the app accepts a TCP connection on the pod IP. Throws, with whether
 * the app still runs, past the deadline.
 */
async function waitForPorts(ip: string, ports: readonly number[], stillRunning: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  for (const port of ports) {
    while (!(await tcpOpen(ip, port))) {
      if (!(await stillRunning())) throw new Error(`the app stopped before ${ip}:${port} accepted a connection`);
      if (Date.now() > end) throw new Error(`${ip}:${port} accepted no connection within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function portsOf(c: PodContainer): number[] {
  return (c.ports ?? []).map((p) => p.containerPort);
}

// ---------------------------------------------------------------------------------------------
// podman

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cmd: string, args: readonly string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, stdout, stderr: e && typeof e.code !== 'number' ? `${stderr}${e.message}` : stderr });
    });
  });
}

async function podman(args: readonly string[], timeoutMs?: number): Promise<string> {
  const r = await run('podman', args, timeoutMs);
  if (r.code !== 0) throw new Error(`podman ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Is a working podman (.ci/run installs Debian's 4.3 with catatonit) on the PATH? */
export function podmanAvailable(): boolean {
  return spawnSync('podman', ['info', '--format', '{{.Host.OCIRuntime.Name}}'], { stdio: 'ignore' }).status === 0;
}

/** Docker image id → the reference podman knows it by; one `docker save | podman load` per image per test run. */
const podmanImages = new Map<string, Promise<string>>();

async function podmanImageId(ref: string): Promise<string | undefined> {
  const r = await run('podman', ['image', 'inspect', '--format', '{{.Id}}', ref]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** Makes a Docker image available to podman under `ref` (or `localhost/ref`) and returns that reference. */
export function podmanImage(ref: string): Promise<string> {
  return docker
    .getImage(ref)
    .inspect()
    .then((info) => {
      const id = info.Id.replace(/^sha256:/, '');
      let loaded = podmanImages.get(id);
      if (!loaded) {
        loaded = (async () => {
          const found = async (): Promise<string | undefined> => {
            for (const r of [ref, `localhost/${ref}`]) if ((await podmanImageId(r)) === id) return r;
            return undefined;
          };
          const already = await found();
          if (already) return already;
          const r = await run('bash', ['-o', 'pipefail', '-c', 'docker save "$1" | podman load -q', 'bash', ref], 120_000);
          if (r.code !== 0) throw new Error(`docker save ${ref} | podman load failed (${r.code}):\n${r.stderr}${r.stdout}`);
          const loadedAs = await found();
          if (!loadedAs) throw new Error(`podman load of ${ref} did not give an image with id ${id}`);
          return loadedAs;
        })();
        loaded.catch(() => podmanImages.delete(id));
        podmanImages.set(id, loaded);
      }
      return loaded;
    });
}

interface PodmanInspect {
  Id: string;
  Name: string;
  State: { Running: boolean; Restarting: boolean; ExitCode: number; Status: string };
  RestartCount: number;
  HostConfig: { ReadonlyRootfs: boolean; SecurityOpt: string[] | null; Privileged: boolean };
  NetworkSettings: { IPAddress?: string; Networks?: Record<string, { IPAddress: string }> };
}

async function podmanInspect(name: string): Promise<PodmanInspect> {
  const all = JSON.parse(await podman(['container', 'inspect', name])) as PodmanInspect[];
  if (!all[0]) throw new Error(`podman inspect ${name}: nothing`);
  return all[0];
}

async function podmanLogs(name: string): Promise<string> {
  const r = await run('podman', ['logs', name]);
  return `${r.stdout}${r.stderr}`;
}

/**
 * Plays the Pod (or Deployment) with `podman kube play`, as written but for:
 * - images: loaded from Docker (once per image per test run), `localhost/` prefixed when podman needs it;
 * - a unique name (containers are named after the pod) with our session label, so nothing clashes;
 * - no `ports`: podman 4.3 publishes every containerPort on the host's 0.0.0.0 (80 for nginx),
 *   which would clash and expose; the exercise talks to the pod IP instead;
 * - `restartPolicy: Never`: podman 4.3 applies the Pod's restartPolicy (Always by default) to
 *   init containers too, so a seed container that exited 0 is restarted again and again (193
 *   restarts in 20 s here), copying the shipped files back over the app's own edits, and
 *   `kube play` waits 20 s for an exit it never sees, then fails now and then with "failed to
 *   remove once init container ...: container state improper". A cluster never restarts an init
 *   container that succeeded; Never also keeps a crashing app down where the test sees it;
 * - init containers of type "always" (annotation): podman keeps them after they ran, so their
 *   exit code and logs can be read (its default, "once", removes them).
 * Podman runs no healthchecks without systemd: the caller waits for ports.
 */
export async function podmanKubePlay(yamlText: string, session: string): Promise<PodRun> {
  const doc = parse(yamlText) as Record<string, any>;
  const spec = podSpecOf(doc);
  const dir = tmpDir('ro-profile-kube-');
  const file = join(dir.path, 'kube.yaml');
  const suffix = token();
  doc['metadata'] = { ...doc['metadata'], name: `${String(doc['metadata']?.name ?? 'app')}-${suffix}`.slice(0, 63) };
  for (const meta of [doc['metadata'], doc['spec']?.template?.metadata]) if (meta) meta.labels = { ...meta.labels, [LABEL_SESSION]: session };
  (spec as { restartPolicy?: string }).restartPolicy = 'Never';
  const volumeNames = (spec.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName ?? v.name);
  const created = { pods: [] as string[], containers: [] as string[], volumes: volumeNames };
  let podName: string | undefined;

  const cleanup = async (): Promise<void> => {
    // Stop first: `kube down` (and `pod rm -f`) of a running pod takes 3.5 s here, stop + down 0.3 s.
    if (podName) await run('podman', ['pod', 'stop', '-t', '2', podName], 60_000);
    await run('podman', ['kube', 'down', file], 60_000);
    if (podName) await run('podman', ['pod', 'rm', '-f', '-t', '2', podName], 60_000);
    // Claims become named volumes that `kube down` keeps; emptyDirs go with the pod, unless it failed half-way.
    for (const v of volumeNames) await run('podman', ['volume', 'rm', '-f', v]);
    dir[Symbol.dispose]();
  };

  const ports = portsOf(spec.containers[0]!);
  try {
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      c.image = await podmanImage(c.image);
      delete c.ports;
    }
    // A volume of the same name left by an earlier, interrupted run would be reused with its content.
    for (const v of volumeNames) await run('podman', ['volume', 'rm', '-f', v]);
    // Claims: created here with our label (podman then uses them as it would its own, copy-up
    // and chown included), so the run's teardown finds them even when this process was killed.
    for (const v of spec.volumes ?? []) {
      if (v.persistentVolumeClaim) await podman(['volume', 'create', '--label', `${LABEL_SESSION}=${session}`, v.persistentVolumeClaim.claimName]);
    }
    writeFileSync(file, stringify(doc));
    const play = await run('podman', ['kube', 'play', '--annotation', 'io.podman.annotations.init.container.type=always', file], 120_000);
    // A play that failed half-way (an init container that exited non-zero) prints no pod id.
    podName = /^Pod:\n([0-9a-f]{64})$/m.exec(play.stdout)?.[1];
    if (!podName) {
      const byName = await run('podman', ['pod', 'ps', '-q', '--no-trunc', '--filter', `name=^${String(doc['metadata'].name)}(-pod)?$`]);
      podName = byName.stdout.trim().split('\n')[0] || undefined;
    }
    if (podName) created.pods.push(podName);
    if (play.code !== 0 || !podName) {
      throw new Error(`podman kube play failed (${play.code}):\n${play.stderr}${play.stdout}${podName ? await podmanPodReport(podName) : ''}\n--- the YAML played:\n${stringify(doc)}`);
    }

    const pod = JSON.parse(await podman(['pod', 'inspect', podName])) as { Name: string; InfraContainerID: string; Containers: { Id: string; Name: string }[] };
    created.pods.splice(0, created.pods.length, pod.Name);
    created.containers.push(...pod.Containers.map((c) => c.Name));
    const infra = await podmanInspect(pod.InfraContainerID);
    const ip = Object.values(infra.NetworkSettings.Networks ?? {})[0]?.IPAddress || infra.NetworkSettings.IPAddress || '';
    const inits: InitRun[] = [];
    for (const c of spec.initContainers ?? []) {
      const name = `${pod.Name}-${c.name}`;
      const info = await podmanInspect(name);
      inits.push({ name: c.name, exitCode: info.State.ExitCode, readOnlyRoot: info.HostConfig.ReadonlyRootfs, logs: await podmanLogs(name) });
    }
    const app = `${pod.Name}-${spec.containers[0]!.name}`;
    const appId = (await podmanInspect(app)).Id;
    await waitForPorts(ip, ports, async () => (await podmanInspect(app)).State.Running);
    return {
      runner: 'podman',
      id: appId,
      ip,
      inits,
      volumes: [],
      created,
      logs: () => podmanLogs(app),
      async exec(cmd) {
        const r = await run('podman', ['exec', app, ...cmd]);
        return { exitCode: r.code, output: `${r.stdout}${r.stderr}` };
      },
      async hardening() {
        const h = (await podmanInspect(app)).HostConfig;
        return { readOnlyRoot: h.ReadonlyRootfs, noNewPrivileges: (h.SecurityOpt ?? []).some((o) => /^no-new-privileges(:true)?$/.test(o)), privileged: h.Privileged };
      },
      async status() {
        const info = await podmanInspect(app);
        return { running: info.State.Running, restarting: info.State.Restarting, exitCode: info.State.ExitCode, restarts: info.RestartCount };
      },
      remove: cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** Each container of a pod that failed to play: its state and logs, for the error message. */
async function podmanPodReport(pod: string): Promise<string> {
  const r = await run('podman', ['ps', '-a', '--filter', `pod=${pod}`, '--format', '{{.Names}}\t{{.Status}}']);
  let out = '';
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const name = line.split('\t')[0]!;
    if (name.endsWith('-infra')) continue;
    out += `\n--- ${line}:\n${await podmanLogs(name)}`;
  }
  return out;
}

/** What of a podman run is still there: pods, containers and volumes by name. */
export async function podmanLeftovers(p: Pick<PodRun, 'created'>): Promise<string[]> {
  const out: string[] = [];
  for (const n of p.created.pods) if ((await run('podman', ['pod', 'exists', n])).code === 0) out.push(`pod ${n}`);
  for (const n of p.created.containers) if ((await run('podman', ['container', 'exists', n])).code === 0) out.push(`container ${n}`);
  for (const n of p.created.volumes) if ((await run('podman', ['volume', 'exists', n])).code === 0) out.push(`volume ${n}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Docker, with kubelet's volumes

/** A container's variables: names without a value get an empty one (ro-profile never writes values). */
function envMapOf(c: PodContainer): Map<string, string> {
  return new Map((c.env ?? []).map((e) => [e.name, e.value ?? '']));
}

/** A named volume mounted with volume-nocopy: Docker never fills it with what the image has there. */
function nocopyMount(source: string, target: string, readOnly: boolean): Docker.MountSettings {
  // @types/dockerode wants Labels and DriverConfig too; the engine needs neither.
  return { Type: 'volume', Source: source, Target: target, ReadOnly: readOnly, VolumeOptions: { NoCopy: true } } as Docker.MountSettings;
}

/** A container's logs without Docker's stream framing (8-byte headers when it has no TTY). */
function demux(buf: Buffer): string {
  if (buf.length < 8 || buf[0]! > 2 || buf[1] !== 0 || buf[2] !== 0 || buf[3] !== 0) return buf.toString('utf8');
  const parts: Buffer[] = [];
  for (let at = 0; at + 8 <= buf.length; ) {
    const size = buf.readUInt32BE(at + 4);
    parts.push(buf.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

async function logsOf(c: Docker.Container): Promise<string> {
  return demux((await c.logs({ stdout: true, stderr: true })) as unknown as Buffer);
}

/**
 * The Pod as Docker runs, volumes as a kubelet makes them:
 * - per volume a fresh named volume (labelled with the session), mounted with volume-nocopy so
 *   Docker never fills it from the image, made root-owned by a helper container running as root
 *   (the busybox-app fixture): an emptyDir 0777, a claim 0755; with fsGroup, chgrp-ed to it and
 *   chmod g+rwxs, as kubelet's SetVolumeOwnership does, and every container gets it with --group-add;
 * - the init containers in order: same image, command, args, env names, mounts and hardening as
 *   the YAML says (read-only root when it says so); each must exit 0;
 * - the app container likewise, detached; no healthcheck (Kubernetes ignores the image's HEALTHCHECK).
 */
export async function emptyDirDockerRun(yamlText: string, session: string): Promise<PodRun> {
  const spec = podSpecOf(parse(yamlText));
  const suffix = token();
  const labels = { [LABEL_SESSION]: session };
  const fsGroup = spec.securityContext?.fsGroup;
  const created = { pods: [] as string[], containers: [] as string[], volumes: [] as string[] };
  const byPodVolume = new Map<string, string>();

  const cleanup = async (): Promise<void> => {
    for (const id of created.containers) await docker.getContainer(id).remove({ force: true, v: true }).catch(() => undefined);
    for (const v of created.volumes) await docker.getVolume(v).remove({ force: true }).catch(() => undefined);
  };

  const createContainer = async (opts: Docker.ContainerCreateOptions): Promise<Docker.Container> => {
    const c = await docker.createContainer({ ...opts, Labels: { ...labels, ...opts.Labels } });
    created.containers.push(c.id);
    return c;
  };

  /** Runs a container to its end; its exit code and output. */
  const runToEnd = async (c: Docker.Container, timeoutMs = 60_000): Promise<{ exitCode: number; logs: string }> => {
    await c.start();
    const waited = (await Promise.race([
      c.wait(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`container ${c.id.slice(0, 12)} still running after ${timeoutMs} ms`)), timeoutMs)),
    ])) as { StatusCode: number };
    return { exitCode: waited.StatusCode, logs: await logsOf(c) };
  };

  const containerOptions = (c: PodContainer, role: string): Docker.ContainerCreateOptions => {
    const sc = c.securityContext ?? {};
    const user = userOf(c, spec);
    const env = envMapOf(c);
    const { entrypoint, cmd } = processOf(c, env);
    const mounts = (c.volumeMounts ?? []).map((m) => {
      const source = byPodVolume.get(m.name);
      if (!source) throw new Error(`k8s-run: container ${c.name} mounts ${m.name}, which the Pod does not declare`);
      return nocopyMount(source, m.mountPath, m.readOnly === true);
    });
    return {
      name: `rpk-${suffix}-${c.name}`.slice(0, 120),
      Image: c.image,
      ...(entrypoint !== undefined ? { Entrypoint: entrypoint } : {}),
      ...(cmd !== undefined ? { Cmd: cmd } : {}),
      Env: [...env].map(([n, v]) => `${n}=${v}`),
      ...(user !== undefined ? { User: user } : {}),
      Healthcheck: { Test: ['NONE'] },
      Labels: { 'io.ro-profile.test-role': role },
      HostConfig: {
        ReadonlyRootfs: sc.readOnlyRootFilesystem === true,
        SecurityOpt: sc.allowPrivilegeEscalation === false ? ['no-new-privileges'] : [],
        Privileged: false,
        ...(fsGroup !== undefined ? { GroupAdd: [String(fsGroup)] } : {}),
        Mounts: mounts,
      },
    };
  };

  try {
    // 1. Fresh volumes, then the helper that gives them kubelet's owner and mode.
    const vols = spec.volumes ?? [];
    for (const v of vols) {
      const name = `rpk-${suffix}-${v.name}`;
      await docker.createVolume({ Name: name, Labels: labels });
      created.volumes.push(name);
      byPodVolume.set(v.name, name);
    }
    let volumes: VolumeState[] = [];
    if (vols.length > 0) {
      const script = vols
        .map((v, i) => {
          const d = `/ro-profile-v/${i}`;
          return `${kubeletVolumeCommand(v, fsGroup, d)} && test -z "$(ls -A ${d})" && stat -c '${i} %u:%g %a' ${d}`;
        })
        .join(' && ');
      const helper = await createContainer({
        Image: FIXTURE.busybox,
        User: '0',
        Entrypoint: ['/bin/sh', '-c'],
        Cmd: [`set -e; ${script}`],
        Labels: { 'io.ro-profile.test-role': 'volume-helper' },
        HostConfig: {
          NetworkMode: 'none',
          Mounts: vols.map((v, i) => nocopyMount(byPodVolume.get(v.name)!, `/ro-profile-v/${i}`, false)),
        },
      });
      const h = await runToEnd(helper);
      if (h.exitCode !== 0) throw new Error(`volume helper exited ${h.exitCode}:\n${h.logs}`);
      volumes = vols.map((v, i) => {
        const m = new RegExp(`^${i} (\\d+:\\d+) ([0-7]+)$`, 'm').exec(h.logs);
        if (!m) throw new Error(`volume helper did not report volume ${i}:\n${h.logs}`);
        return { name: v.name, kind: v.emptyDir ? 'emptyDir' : 'persistentVolumeClaim', owner: m[1]!, mode: m[2]! };
      });
      await helper.remove({ force: true });
      created.containers.splice(created.containers.indexOf(helper.id), 1);
    }

    // 2. Init containers, in order; each must exit 0 before the next starts.
    const inits: InitRun[] = [];
    for (const ic of spec.initContainers ?? []) {
      const c = await createContainer(containerOptions(ic, 'init'));
      const readOnlyRoot = (await c.inspect()).HostConfig.ReadonlyRootfs === true;
      const r = await runToEnd(c);
      inits.push({ name: ic.name, exitCode: r.exitCode, readOnlyRoot, logs: r.logs });
      if (r.exitCode !== 0) throw new Error(`init container ${ic.name} exited with code ${r.exitCode}:\n${r.logs}`);
    }

    // 3. The app.
    const appSpec = spec.containers[0]!;
    const app = await createContainer(containerOptions(appSpec, 'app'));
    await app.start();
    const handle = await attachContainer(app.id);
    await waitForPorts(handle.ip, portsOf(appSpec), async () => (await app.inspect()).State.Running).catch(async (e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}; its logs:\n${await logsOf(app)}`, { cause: e });
    });
    return {
      ...handle,
      logs: () => logsOf(app),
      runner: 'docker',
      inits,
      volumes,
      created,
      async hardening() {
        const h = (await app.inspect()).HostConfig;
        return { readOnlyRoot: h.ReadonlyRootfs === true, noNewPrivileges: (h.SecurityOpt ?? []).some((o: string) => /^no-new-privileges(:true)?$/.test(o)), privileged: h.Privileged === true };
      },
      async status() {
        const info = await app.inspect();
        return { running: info.State.Running, restarting: info.State.Restarting, exitCode: info.State.ExitCode, restarts: info.RestartCount };
      },
      remove: cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
