import { RoProfileError } from '../errors.js';
import { parseQuantity } from '../emit/resources.js';
import { shellQuote } from '../emit/shell-quote.js';
import type { LaunchSecrets } from '../model/run-spec.js';
import type { ContainerCreateSpec, MountSpec } from '../runtime/engine.js';

/**
 * The part of the Pod API that a kubelet-like Docker run understands: what the k8s emitter
 * writes. Anything else is refused, never dropped. Shared by the k8s launcher and the test
 * helpers that run printed Pods. Mutable: it is parsed YAML, and the podman helper edits it.
 */
export interface PodContainer {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
  envFrom?: { secretRef?: { name: string } }[];
  ports?: { containerPort: number }[];
  securityContext?: ContainerSecurity;
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
export interface SeccompProfile {
  type: string;
  localhostProfile?: string;
}
export interface ContainerSecurity {
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: SeccompProfile;
}
export interface PodVolume {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  hostPath?: { path: string };
}
export interface PodSpec {
  hostNetwork?: boolean;
  securityContext?: { fsGroup?: number; runAsUser?: number; runAsGroup?: number; runAsNonRoot?: boolean; seccompProfile?: SeccompProfile; sysctls?: { name: string; value: string }[] };
  initContainers?: PodContainer[];
  containers: PodContainer[];
  volumes?: PodVolume[];
}

const KNOWN = {
  spec: ['hostNetwork', 'securityContext', 'initContainers', 'containers', 'volumes'],
  podSecurity: ['fsGroup', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'seccompProfile', 'sysctls'],
  container: ['name', 'image', 'command', 'args', 'env', 'envFrom', 'ports', 'securityContext', 'resources', 'volumeMounts'],
  resources: ['requests', 'limits'],
  quantities: ['cpu', 'memory'],
  containerSecurity: ['readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'capabilities', 'seccompProfile'],
  capabilities: ['drop', 'add'],
  seccomp: ['type'],
  env: ['name', 'value'],
  volumeMount: ['name', 'mountPath', 'readOnly'],
  volume: ['name', 'emptyDir', 'persistentVolumeClaim', 'hostPath'],
} as const;

function unsupported(what: string): RoProfileError {
  return new RoProfileError('INTERNAL', `the Pod has ${what}, which the kubelet-like Docker run does not support`);
}

/** RuntimeDefault is the engine's default profile, which every run here has; another profile cannot be run alike. */
function checkSeccomp(what: string, p: SeccompProfile | undefined): void {
  if (!p) return;
  onlyKnown(`${what}.seccompProfile`, p, KNOWN.seccomp);
  if (p.type !== 'RuntimeDefault') throw unsupported(`${what}.seccompProfile.type ${p.type} (only RuntimeDefault)`);
}

function onlyKnown(what: string, o: object | undefined, keys: readonly string[]): void {
  for (const k of Object.keys(o ?? {})) if (!keys.includes(k)) throw unsupported(`${what}.${k}`);
}

/** The pod spec of a Pod or a Deployment, checked against what a kubelet-like run understands. */
export function podSpecOf(doc: unknown): PodSpec {
  const d = doc as { kind?: string; spec?: { template?: { spec?: unknown } } };
  const spec = (d.kind === 'Pod' ? d.spec : d.kind === 'Deployment' ? d.spec?.template?.spec : undefined) as PodSpec | undefined;
  if (!spec) throw unsupported(`kind ${String(d.kind)} (not a Pod or Deployment)`);
  onlyKnown('spec', spec, KNOWN.spec);
  onlyKnown('spec.securityContext', spec.securityContext, KNOWN.podSecurity);
  checkSeccomp('spec.securityContext', spec.securityContext?.seccompProfile);
  // Docker sets ip_unprivileged_port_start=0 in every container's network namespace: that one sysctl is how it runs already.
  for (const x of spec.securityContext?.sysctls ?? []) {
    if (x.name !== 'net.ipv4.ip_unprivileged_port_start' || String(x.value) !== '0') throw unsupported(`the sysctl ${x.name}=${x.value}`);
  }
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    onlyKnown(`container ${c.name}`, c, KNOWN.container);
    onlyKnown(`container ${c.name}.securityContext`, c.securityContext, KNOWN.containerSecurity);
    onlyKnown(`container ${c.name}.securityContext.capabilities`, c.securityContext?.capabilities, KNOWN.capabilities);
    checkSeccomp(`container ${c.name}.securityContext`, c.securityContext?.seccompProfile);
    // A false allowPrivilegeEscalation is Docker's no-new-privileges, which every run here has; true would need the engine to allow what it never does here.
    if (c.securityContext?.allowPrivilegeEscalation === true) throw unsupported(`allowPrivilegeEscalation: true in container ${c.name}`);
    for (const e of c.env ?? []) onlyKnown(`container ${c.name}.env`, e, KNOWN.env);
    onlyKnown(`container ${c.name}.resources`, c.resources, KNOWN.resources);
    onlyKnown(`container ${c.name}.resources.limits`, c.resources?.limits, KNOWN.quantities);
    onlyKnown(`container ${c.name}.resources.requests`, c.resources?.requests, KNOWN.quantities);
    for (const m of c.volumeMounts ?? []) onlyKnown(`container ${c.name}.volumeMounts`, m, KNOWN.volumeMount);
  }
  for (const v of spec.volumes ?? []) {
    onlyKnown(`volume ${v.name}`, v, KNOWN.volume);
    if (!v.emptyDir && !v.persistentVolumeClaim && !v.hostPath) throw unsupported(`volume ${v.name}, neither an emptyDir, a claim nor a hostPath`);
  }
  if (spec.containers.length !== 1) throw unsupported(`${spec.containers.length} app containers (one expected)`);
  return spec;
}

/** A new emptyDir: root-owned 0777. */
export const EMPTYDIR_MODE = 0o777;
/** A claim's root: a fresh filesystem's root directory (ext4, xfs) is root-owned 0755. */
export const CLAIM_MODE = 0o755;

/**
 * The shell command that makes `dir` (a fresh, empty volume) what a kubelet gives the Pod: root-
 * owned, 0777 for an emptyDir and 0755 for a claim; with fsGroup, chgrp-ed to it and g+rwxs, as
 * kubelet's SetVolumeOwnership does. Runs as root in a helper container.
 */
export function kubeletVolumeCommand(v: PodVolume, fsGroup: number | undefined, dir: string): string {
  const d = shellQuote(dir);
  const mode = (v.emptyDir ? EMPTYDIR_MODE : CLAIM_MODE).toString(8);
  const group = fsGroup !== undefined ? ` && chgrp ${fsGroup} ${d} && chmod g+rwxs ${d}` : '';
  return `chown 0:0 ${d} && chmod ${mode} ${d}${group}`;
}

/** Docker's User from runAsUser/runAsGroup (container's over the pod's); undefined: the image's user. */
export function userOf(c: PodContainer, spec: PodSpec): string | undefined {
  const uid = c.securityContext?.runAsUser ?? spec.securityContext?.runAsUser;
  const gid = c.securityContext?.runAsGroup ?? spec.securityContext?.runAsGroup;
  if (uid === undefined) {
    if (gid !== undefined) throw unsupported(`runAsGroup without runAsUser in container ${c.name}`);
    return undefined;
  }
  return gid === undefined ? String(uid) : `${uid}:${gid}`;
}

/**
 * The kubelet's runAsNonRoot check (verifyRunAsNonRoot): the user the container will run as must
 * be numeric and not 0, or the container is not created (CreateContainerConfigError). `user` is
 * Docker's User the container gets (the Pod's, or the image's when the Pod sets none).
 */
export function checkRunAsNonRoot(c: PodContainer, spec: PodSpec, user: string): void {
  const nonRoot = c.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot;
  if (nonRoot !== true) return;
  const u = user.split(':')[0] ?? '';
  if (u === '' || u === '0' || u === 'root') {
    throw new RoProfileError('CONTAINER_FAILED', `container ${c.name} has runAsNonRoot and its image will run as root (CreateContainerConfigError)`, { hint: 'Set runAsUser to a non-root UID the image works as.' });
  }
  if (!/^\d+$/.test(u)) {
    throw new RoProfileError('CONTAINER_FAILED', `container ${c.name} has runAsNonRoot and its image has non-numeric user (${u}), which the kubelet cannot verify is non-root (CreateContainerConfigError)`, { hint: 'Set runAsUser to the numeric UID of that user.' });
  }
}

/** Docker's CapDrop and CapAdd from the container's capabilities (names with or without CAP_, as the kubelet takes them). */
function capabilitiesOf(c: PodContainer): { capDrop?: string[]; capAdd?: string[] } {
  const norm = (x: string) => x.replace(/^CAP_/i, '').toUpperCase();
  const drop = c.securityContext?.capabilities?.drop?.map(norm);
  const add = c.securityContext?.capabilities?.add?.map(norm);
  return { ...(drop && drop.length > 0 ? { capDrop: drop } : {}), ...(add && add.length > 0 ? { capAdd: add } : {}) };
}

/**
 * A word of command or args as the kubelet passes it on: `$$` is one `$`, `$(NAME)` the value of
 * the container's variable NAME when it has one (else left as written), any other `$` as is.
 */
export function expandK8s(word: string, env: ReadonlyMap<string, string>): string {
  return word.replace(/\$(?:\$|\(([^)]*)\))/g, (all, name: string | undefined) => (name === undefined ? '$' : (env.get(name) ?? all)));
}

/**
 * Docker's Entrypoint and Cmd for a container: command replaces ENTRYPOINT and then args replace
 * CMD (none when only command is given); args alone keep ENTRYPOINT. The Docker API merges the
 * same way.
 */
export function processOf(c: PodContainer, env: ReadonlyMap<string, string>): { entrypoint?: string[]; cmd?: string[] } {
  const x = (words: readonly string[]) => words.map((w) => expandK8s(w, env));
  if (c.command !== undefined && c.command.length > 0) return { entrypoint: x(c.command), cmd: x(c.args ?? []) };
  return c.args !== undefined ? { cmd: x(c.args) } : {};
}

/**
 * One container of the Pod as the engine creates it. `base` is what the Pod does not say:
 * labels, limits, network, ports to publish on 127.0.0.1, and for the app what the YAML's
 * comments ask the user to add (the run's own mounts, its env-file variables). The Pod says the
 * rest: image (its reference becomes the id the writable run ran), command and args, user,
 * read-only root, its variables (values from the run's by name), and its volumes, which are
 * `volumes` (Pod volume name → Docker volume), mounted without Docker's copy-up as a kubelet
 * mounts them, and with fsGroup as a supplementary group.
 */
export function containerSpecOf(
  c: PodContainer,
  spec: PodSpec,
  o: {
    readonly base: ContainerCreateSpec;
    readonly imageRef: string;
    readonly volumes: ReadonlyMap<string, string>;
    readonly secrets: LaunchSecrets;
    /** What the platform assigns when the Pod sets no runAsUser (OpenShift's SCC: an arbitrary UID, GID 0). */
    readonly assignedUser?: string;
    /** The image's own user (Docker's Config.User), for the runAsNonRoot check. */
    readonly imageUser?: string;
  },
): ContainerCreateSpec {
  const given = new Set(o.base.env.map((e) => e.slice(0, e.indexOf('='))));
  const podEnv = new Map<string, string>();
  for (const e of c.env ?? []) {
    const value = e.value ?? o.secrets.get(e.name);
    if (value !== undefined) podEnv.set(e.name, value);
  }
  const mounts: MountSpec[] = (c.volumeMounts ?? []).map((m) => {
    const source = o.volumes.get(m.name);
    if (!source) throw unsupported(`a mount of ${m.name} in container ${c.name}, a volume it does not declare`);
    return { type: 'volume', source, target: m.mountPath, readOnly: m.readOnly === true, noCopy: true };
  });
  const fsGroup = spec.securityContext?.fsGroup;
  const { entrypoint: _e, cmd: _c, user: baseUser, capAdd: _a, capDrop: _d, ...rest } = o.base;
  const user = userOf(c, spec) ?? o.assignedUser ?? baseUser;
  checkRunAsNonRoot(c, spec, user ?? o.imageUser ?? '');
  return {
    ...rest,
    image: c.image === o.imageRef ? o.base.image : c.image,
    env: [...o.base.env, ...[...podEnv].filter(([n]) => !given.has(n)).map(([n, v]) => `${n}=${v}`)],
    ...processOf(c, podEnv),
    ...(user !== undefined ? { user } : {}),
    mounts: [...o.base.mounts, ...mounts],
    readOnlyRoot: c.securityContext?.readOnlyRootFilesystem === true,
    ...(fsGroup !== undefined ? { groupAdd: [String(fsGroup)] } : {}),
    ...capabilitiesOf(c),
    ...resourceLimitsOf(c),
  };
}

/** A container's resources.limits as the kubelet sets them on the runtime: memory and CPU quota (requests only schedule). */
function resourceLimitsOf(c: PodContainer): { memoryBytes?: number; nanoCpus?: number } {
  const lim = c.resources?.limits;
  const memory = lim?.memory !== undefined ? parseQuantity(lim.memory) : undefined;
  const cpu = lim?.cpu !== undefined ? parseQuantity(lim.cpu) : undefined;
  if ((lim?.memory !== undefined && memory === undefined) || (lim?.cpu !== undefined && cpu === undefined)) throw unsupported(`a resource quantity in container ${c.name} it cannot read`);
  return { ...(memory !== undefined ? { memoryBytes: Math.ceil(memory) } : {}), ...(cpu !== undefined ? { nanoCpus: Math.round(cpu * 1e9) } : {}) };
}

/**
 * The Pod without what the run passes through itself: the user's own mounts (volumes mounted on
 * their -v/--mount targets), envFrom (the --env-file variables) and hostNetwork (--network). A
 * kubelet-like run gives the app those the way `docker run` does (the user's real volume by its
 * name, the bind, the variables, the network), which is what the Pod's volumes and Secrets stand
 * for on a cluster; verification's own volumes are for the plan's mounts only.
 */
export function withoutPassThrough(spec: PodSpec, userTargets: readonly string[]): PodSpec {
  const targets = new Set(userTargets);
  const app = spec.containers[0]!;
  const theirs = new Set((app.volumeMounts ?? []).filter((m) => targets.has(m.mountPath)).map((m) => m.name));
  const { envFrom: _envFrom, volumeMounts: _mounts, ...rest } = app;
  const volumeMounts = (app.volumeMounts ?? []).filter((m) => !theirs.has(m.name));
  const volumes = (spec.volumes ?? []).filter((v) => !theirs.has(v.name));
  const { hostNetwork: _host, volumes: _volumes, ...pod } = spec;
  return {
    ...pod,
    containers: [{ ...rest, ...(volumeMounts.length > 0 ? { volumeMounts } : {}) }, ...spec.containers.slice(1)],
    ...(volumes.length > 0 ? { volumes } : {}),
  };
}
