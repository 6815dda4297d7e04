import { RoProfileError } from '../errors.js';
import type { Mount } from '../model/mount-plan.js';
import type { Result } from '../model/result.js';
import { containerPortOfPublish } from '../syntax/publish.js';
import { volumeName } from '../analyze/volume-name.js';
import { serviceName } from './compose.js';
import { k8sResources, type K8sResources } from './resources.js';
import { formatMode } from './tmpfs-options.js';
import { envFromOf, networkOf, passedVolumes } from './k8s-passthrough.js';
import { toYamlWithComments, type YamlComment } from './yaml.js';

import type { K8sKind } from './k8s-kinds.js';
export { K8S_KINDS, type K8sKind } from './k8s-kinds.js';

export interface K8sOptions {
  readonly kind: K8sKind;
  /** Only a strategic-merge patch of the container's securityContext, volumeMounts and volumes. */
  readonly patch: boolean;
  /** medium: Memory for every tmpfs-like mount (counts against the container's memory limit). */
  readonly memory: boolean;
  readonly name?: string | undefined;
  /** Volume names the pod already has (a user's workload): ours never take one. */
  readonly reservedVolumes?: readonly string[];
}

/** The Kubernetes fields we write, as our own types (named as in the core/v1 API). */
interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}
interface Volume {
  name: string;
  emptyDir?: { medium?: 'Memory'; sizeLimit?: string };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  hostPath?: { path: string };
}
interface SecurityContext {
  readOnlyRootFilesystem: true;
  allowPrivilegeEscalation: false;
  capabilities?: { drop: string[]; add?: string[] };
  runAsUser?: number;
  runAsGroup?: number;
}
interface PodSecurityContext {
  runAsNonRoot?: true;
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  seccompProfile?: { type: 'RuntimeDefault' };
  sysctls?: { name: string; value: string }[];
}
interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: { name: string }[];
  envFrom?: { secretRef: { name: string } }[];
  ports?: { containerPort: number }[];
  securityContext: SecurityContext;
  resources?: K8sResources;
  volumeMounts?: VolumeMount[];
}
export interface K8sPodSpec {
  hostNetwork?: true;
  securityContext?: PodSecurityContext;
  initContainers?: Container[];
  containers: Container[];
  volumes?: Volume[];
}

const MiB = 1024 * 1024;
/** The lowest port an unprivileged process may bind, per network namespace. */
const UNPRIVILEGED_PORT_SYSCTL = 'net.ipv4.ip_unprivileged_port_start';
/** The largest uid or gid the API server takes (IsValidUserID, IsValidGroupID). */
const MAX_ID = 2 ** 31 - 1;
const HARDENED: SecurityContext = { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false };

/**
 * A Pod, a Deployment, or a strategic-merge patch that runs the image with a read-only root
 * on a real cluster: a disk emptyDir with a sizeLimit per tmpfs mount (memory-backed only on
 * request), a PersistentVolumeClaim per persistent mount, an init container that seeds an
 * emptyDir where a mount would hide shipped content, fsGroup where a non-root app must own a
 * mount. Comments say what the reader must provide or know.
 */
export function emitK8s(result: Result, o: K8sOptions): string {
  // Where the pod spec sits in the document: the comments' paths start there.
  const specPath = o.kind === 'deployment' || o.patch ? ['spec', 'template', 'spec'] : ['spec'];
  const { spec, name, comments } = k8sPodSpec(result, o, specPath);
  return toYamlWithComments({ value: wrap(spec, name, o), comments });
}

/**
 * The pod spec emitK8s wraps (with o.patch, only what a strategic-merge patch sets), and its
 * comments, whose paths start with `specPath`: also the base of a patch for a user's workload.
 */
export function k8sPodSpec(result: Result, o: K8sOptions, specPath: readonly string[]): { spec: K8sPodSpec; name: string; comments: YamlComment[] } {
  const name = dnsLabel(o.name ?? serviceName(result.run.image));
  const comments: YamlComment[] = [];
  const mounts = result.plan.mounts;
  const volumes: Volume[] = [];
  const volumeMounts: VolumeMount[] = [];
  const initContainers: Container[] = [];
  const notes: { index: number; text: string }[] = [];
  // Volume names must be unique in a pod: names that differ only where a DNS label cannot (a_b,
  // a-b, A-B) get a suffix, and mounts of one named volume share one claim, as Docker shares it.
  const taken = new Set<string>(o.reservedVolumes);
  const claims = new Map<string, { name: string; note: number }>();
  for (const m of mounts) {
    const base = dnsLabel(m.volumeName ?? volumeName(result.run.image, m.path));
    if (m.kind === 'volume') {
      const claimName = base;
      const shared = claims.get(claimName);
      if (shared) {
        volumeMounts.push({ name: shared.name, mountPath: m.path });
        notes[shared.note]!.text += `\nalso mounted on ${m.path} (the same named volume under Docker)`;
        continue;
      }
      const vol = uniqueName(base, taken);
      volumeMounts.push({ name: vol, mountPath: m.path });
      volumes.push({ name: vol, persistentVolumeClaim: { claimName } });
      claims.set(claimName, { name: vol, note: notes.length });
      notes.push({
        index: volumes.length - 1,
        text: `${m.path} keeps data that must persist: provide a PersistentVolumeClaim named "${claimName}"${m.hides.length > 0 ? '\nDocker fills a new volume with what the image ships there and a claim starts empty: an init container copies it in while the claim is empty (its first start), never over data' : ''}`,
      });
      // A claim starts empty; the app may need what the image ships there (a schema, a default config).
      if (m.hides.length > 0) initContainers.push(seedContainer(result, m, vol, seedName(name, initContainers.length), true));
      continue;
    }
    const vol = uniqueName(base, taken);
    volumeMounts.push({ name: vol, mountPath: m.path });
    const size = `${Math.ceil(m.sizeBytes / MiB)}Mi`;
    volumes.push({ name: vol, emptyDir: o.memory ? { medium: 'Memory', sizeLimit: size } : { sizeLimit: size } });
    const lines = [`${m.path}: ${m.kind === 'seeded' ? 'seeded from the image by an init container' : 'scratch space'}; under Docker: owner ${m.uid}:${m.gid}, mode ${formatMode(m.mode)}`];
    if (o.memory) lines.push('medium: Memory counts against the container\'s memory limit: a full volume is an OOM kill');
    if (m.exec) lines.push('the app executes files it writes here: an emptyDir allows exec (Docker needed the exec option)');
    if ((m.mode & 0o1000) !== 0) lines.push(`the image has mode ${formatMode(m.mode)} here; an emptyDir is 0777 without the sticky bit (some runtimes refuse such a temp directory)`);
    lines.push('an emptyDir survives a container restart inside the pod: stale pid or lock files stay');
    notes.push({ index: volumes.length - 1, text: lines.join('\n') });
    if (m.kind === 'seeded') initContainers.push(seedContainer(result, m, vol, seedName(name, initContainers.length)));
  }
  // The user's own -v/--mount as volumes they name (not in a patch: their manifest has its own).
  const passed = o.patch ? { volumes: [], notes: [] } : passedVolumes(result.run, (b) => uniqueName(b, taken), dnsLabel);
  for (const p of passed.volumes) {
    volumes.push(p.volume);
    volumeMounts.push(p.mount);
    notes.push({ index: volumes.length - 1, text: p.note });
  }
  const h = result.hardening;
  // A level's numeric user runs the whole Pod (its init containers too); an arbitrary one is the platform's to assign.
  const podUser = h?.user && !h.arbitraryUid && h.user.uid <= MAX_ID && h.user.gid <= MAX_ID ? h.user : undefined;
  const fsGroup = fsGroupFor(mounts, result.image.user) ?? (podUser && mounts.some((m) => m.kind !== 'tmpfs') ? podUser.gid || undefined : undefined);
  const caps = capabilitiesOf(result);
  const network = o.patch ? {} : networkOf(result.run);
  // Docker lets every container bind ports below 1024 (it sets this sysctl to 0); verification ran so, and a Pod must too.
  const lowPorts = h && !h.capAdd.some((c) => c.name === 'NET_BIND_SERVICE') ? [...new Set(result.exercise.probes.filter((p) => p.ok && p.port < 1024).map((p) => p.port))].sort((a, b) => a - b) : [];
  const container: Container = { name, ...(o.patch ? {} : containerBody(result)), securityContext: { ...HARDENED, ...caps, ...(podUser ? {} : runAs(result.run.user)) } };
  const podSecurity: PodSecurityContext = {
    ...(h?.user ? { runAsNonRoot: true as const } : {}),
    ...(podUser ? { runAsUser: podUser.uid, runAsGroup: podUser.gid } : {}),
    ...(fsGroup !== undefined ? { fsGroup } : {}),
    ...(h ? { seccompProfile: { type: 'RuntimeDefault' as const } } : {}),
    ...(lowPorts.length > 0 && !network.hostNetwork ? { sysctls: [{ name: UNPRIVILEGED_PORT_SYSCTL, value: '0' }] } : {}),
  };
  if (!podUser && result.run.user !== undefined && Object.keys(runAs(result.run.user)).length === 0) {
    comments.push({
      path: [...specPath, 'containers', 0, 'securityContext'],
      text: `Docker ran it as --user ${result.run.user}; Kubernetes takes numeric ids only: set runAsUser (and runAsGroup) to that user's ids`,
    });
  }
  if (result.limits) {
    // medium: Memory pages are the container's memory: the limit holds the app and every such volume full.
    const memoryDirs = o.memory ? mounts.filter((m) => m.kind !== 'volume').reduce((n, m) => n + Math.ceil(m.sizeBytes / MiB) * MiB, 0) : 0;
    const res = k8sResources(result.limits, memoryDirs);
    const containerPath = [...specPath, 'containers', 0];
    if (o.patch) {
      // A patch leaves the team's own resources alone (they may be tuned to real load): the measured ones are advice.
      comments.push({ path: [...containerPath, 'securityContext'], text: `resources measured (not patched: your manifest's own stay): requests cpu ${res.requests.cpu}, memory ${res.requests.memory}; limits cpu ${res.limits.cpu}, memory ${res.limits.memory}\n${resourcesNote(result, o.memory, memoryDirs)}` });
    } else {
      container.resources = res;
      comments.push({ path: [...containerPath, 'resources'], text: resourcesNote(result, o.memory, memoryDirs) });
    }
  }
  if (volumeMounts.length > 0) container.volumeMounts = volumeMounts;
  const spec: K8sPodSpec = {
    ...(network.hostNetwork ? { hostNetwork: true as const } : {}),
    ...(Object.keys(podSecurity).length > 0 ? { securityContext: podSecurity } : {}),
    ...(initContainers.length > 0 ? { initContainers: initContainers.map((c) => ({ ...c, securityContext: { ...c.securityContext, ...(caps.capabilities ? { capabilities: { drop: caps.capabilities.drop } } : {}) } })) } : {}),
    containers: [container],
    ...(volumes.length > 0 ? { volumes } : {}),
  };

  for (const n of notes) comments.push({ path: [...specPath, 'volumes', n.index], text: n.text });
  const podNotes = podSecurityNotes(result, podUser, fsGroup, mounts);
  if (lowPorts.length > 0) {
    podNotes.push(
      network.hostNetwork
        ? `the app binds port ${lowPorts.join(', ')} without NET_BIND_SERVICE, as Docker allows; with hostNetwork the node's ${UNPRIVILEGED_PORT_SYSCTL} decides`
        : `the app binds port ${lowPorts.join(', ')} without NET_BIND_SERVICE: Docker sets ${UNPRIVILEGED_PORT_SYSCTL}=0 in every container and verification ran so; this safe sysctl (allowed by Pod Security) does the same on any runtime`,
    );
  }
  if (podNotes.length > 0) comments.push({ path: [...specPath, 'securityContext'], text: podNotes.join('\n') });
  if (!o.patch) comments.push(...envComments(result, specPath, [...passed.notes, ...(network.note ? [network.note] : [])]));
  for (let i = 0; i < initContainers.length; i++) comments.push({ path: [...specPath, 'initContainers', i], text: initContainers[i]!.command?.[2] === SEED_IF_EMPTY_SCRIPT ? 'copies what the image ships into the claim before the app starts, while the claim is still empty' : initContainers[i]!.command ? 'copies what the image ships into the emptyDir before the app starts' : '' });
  return { spec, name, comments: comments.filter((c) => c.text) };
}

/** capabilities: drop ALL and add back what the level kept; none for a result made before levels. */
function capabilitiesOf(result: Result): Pick<SecurityContext, 'capabilities'> {
  const h = result.hardening;
  if (!h || h.capDrop.length === 0) return {};
  return { capabilities: { drop: [...h.capDrop], ...(h.capAdd.length > 0 ? { add: h.capAdd.map((c) => c.name) } : {}) } };
}

/** Why the Pod's securityContext says what it does: its user, its fsGroup, the platform's part. */
function podSecurityNotes(result: Result, podUser: { uid: number; gid: number } | undefined, fsGroup: number | undefined, mounts: readonly Mount[]): string[] {
  const h = result.hardening;
  const out: string[] = [];
  if (h?.arbitraryUid) out.push(`any UID with GID 0: the platform (OpenShift's restricted SCC) assigns runAsUser and fsGroup; verified as ${h.user?.uid ?? '?'}:0`);
  else if (podUser) out.push(`runs as ${podUser.uid}:${podUser.gid} (numeric, so runAsNonRoot can be checked)${h?.level === 'restricted' ? '; meets Pod Security "restricted"' : ''}`);
  if (fsGroup !== undefined) {
    const uid = mounts.find((m) => m.gid === fsGroup && m.uid !== 0 && m.uid <= MAX_ID)?.uid;
    out.push(`the app runs as ${podUser ? `${podUser.uid}:${podUser.gid}` : result.image.user} and must write mounts owned by group ${fsGroup}: fsGroup gives it that group on every volume${!podUser && uid !== undefined ? `. If your platform does not run the image as its own user, set runAsUser: ${uid} too` : ''}`);
  }
  return out;
}

/** What the figures rest on, and what a Pod counts that Docker does not. */
function resourcesNote(result: Result, memory: boolean, memoryDirs: number): string {
  const l = result.limits!;
  const measured = result.usage?.verify ?? result.usage?.profile;
  const lines = [
    `${l.policy} limits from the measured run${measured ? ` (working set peak ${Math.ceil(measured.workingSetPeakBytes / MiB)} MiB, CPU peak ${measured.cpuPeakCores} cores, ${measured.pidsPeak} tasks)` : ''}, headroom ×${l.headroom}; check them under your real load`,
    // Only where the Pod has emptyDirs: a Pod of claims alone has nothing to say about them.
    ...(!result.plan.mounts.some((m) => m.kind !== 'volume')
      ? []
      : memory
        ? [`memory includes the memory-backed emptyDirs' sizeLimits (${Math.ceil(memoryDirs / MiB)} MiB): their content counts against this limit`]
        : ['disk-backed emptyDirs count against ephemeral storage, not memory; with medium: Memory their content would count against this limit']),
    `pids: Kubernetes limits tasks per node (kubelet podPidsLimit), not per container; the run peaked at ${measured?.pidsPeak ?? '?'} (Docker's limit: ${l.pids})`,
  ];
  return lines.join('\n');
}

function wrap(spec: K8sPodSpec, name: string, o: K8sOptions): object {
  if (o.patch) {
    // A strategic-merge patch of a Deployment: containers and volumes merge by name.
    return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { template: { spec } } };
  }
  const labels = { app: name };
  if (o.kind === 'pod') return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec } },
  };
}

/** Docker's --user as numeric ids, when it is written that way (Kubernetes has no user names). */
function runAs(user: string | undefined): Pick<SecurityContext, 'runAsUser' | 'runAsGroup'> {
  const m = user === undefined ? null : /^(\d+)(?::(\d+))?$/.exec(user);
  if (!m) return {};
  const uid = Number(m[1]);
  const gid = m[2] !== undefined ? Number(m[2]) : undefined;
  // The API refuses ids above 2^31-1.
  return { ...(uid <= 2147483647 ? { runAsUser: uid } : {}), ...(gid !== undefined && gid <= 2147483647 ? { runAsGroup: gid } : {}) };
}

function containerBody(result: Result): Partial<Container> {
  const run = result.run;
  const body: Partial<Container> = { image: run.image };
  // Docker's --entrypoint is Kubernetes' command, and the command after -- is args. An empty
  // command is no command to Kubernetes (the image's ENTRYPOINT runs), so --entrypoint "" becomes
  // the command Docker then runs: the one after --, or the image's CMD.
  if (run.entrypoint === '') {
    const argv = run.command.length > 0 ? run.command : result.image.cmd;
    if (argv.length > 0) body.command = argv.map(noExpansion);
  } else {
    if (run.entrypoint !== undefined) body.command = [noExpansion(run.entrypoint)];
    if (run.command.length > 0) body.args = run.command.map(noExpansion);
  }
  // Once each: Docker's last -e NAME wins, and a list that repeats a name is refused by server-side apply.
  if (run.env.length > 0) body.env = [...new Set(run.env.map((e) => e.name))].map((n) => ({ name: n }));
  const from = envFromOf(run, dnsLabel);
  if (from.envFrom.length > 0) body.envFrom = from.envFrom;
  const ports = new Set<number>(result.image.exposedPorts.filter((p) => p.protocol === 'tcp').map((p) => p.port));
  for (const p of run.publish) {
    const port = containerPortOfPublish(p);
    if (port !== undefined) ports.add(port);
  }
  if (ports.size > 0) body.ports = [...ports].sort((a, b) => a - b).map((containerPort) => ({ containerPort }));
  return body;
}

function envComments(result: Result, specPath: readonly string[], more: readonly string[]): YamlComment[] {
  const out: YamlComment[] = [];
  const containerPath = [...specPath, 'containers', 0];
  if (result.run.env.length > 0) {
    out.push({ path: [...containerPath, 'env'], text: 'names only: give each a value or valueFrom (a Secret for secrets); ro-profile never writes values' });
  }
  const from = envFromOf(result.run, dnsLabel);
  if (from.notes.length > 0) out.push({ path: [...containerPath, 'envFrom'], text: `a Secret per --env-file, which you create from the file (its values never leave it):\n${from.notes.join('\n')}` });
  if (more.length > 0) out.push({ path: [...containerPath, 'securityContext'], text: more.join('\n') });
  return out;
}

/** Copies every entry of "$0" (dotfiles included) into the emptyDir, failing on the first error. */
export const SEED_SCRIPT = 'for f in "$0"/* "$0"/.[!.]* "$0"/..?*; do if [ -e "$f" ] || [ -L "$f" ]; then cp -a "$f" /ro-profile-seed/ || exit 1; fi; done';

/**
 * The same for a claim, as Docker fills a new named volume: only while it is empty (a fresh
 * filesystem's lost+found aside), so a restart or a rollout never copies over the app's data.
 */
export const SEED_IF_EMPTY_SCRIPT = `for f in /ro-profile-seed/* /ro-profile-seed/.[!.]* /ro-profile-seed/..?*; do if { [ -e "$f" ] || [ -L "$f" ]; } && [ "$f" != /ro-profile-seed/lost+found ]; then exit 0; fi; done; ${SEED_SCRIPT}`;

/** An init container from the same image that copies the directory's shipped content into the emptyDir (or the empty claim). */
function seedContainer(result: Result, m: Mount, volume: string, name: string, claim = false): Container {
  const tools = result.fs.tools;
  if (tools && (!tools.sh || !tools.cp)) {
    throw new RoProfileError('EMIT_FAILED', `the ${claim ? 'claim' : 'emptyDir'} on ${m.path} must be seeded with what the image ships there, and "${result.run.image}" has no ${tools.sh ? 'cp' : 'shell'} to copy it`, {
      hint: 'Copy it with an init container from a small tool image that mounts this image as an image volume (Kubernetes 1.31+), or bake a copy into a ConfigMap.',
    });
  }
  return {
    name,
    image: result.run.image,
    // Each entry, not the directory itself: copying "." would also set the emptyDir root's
    // times, owner and mode, which a non-root init container may not (GNU cp then fails).
    command: ['sh', '-c', claim ? SEED_IF_EMPTY_SCRIPT : SEED_SCRIPT, noExpansion(m.path)],
    securityContext: HARDENED,
    volumeMounts: [{ name: volume, mountPath: '/ro-profile-seed' }],
  };
}

/**
 * fsGroup: an emptyDir is root-owned, so a non-root app that must own a mount gets the mount's
 * group (the most common one). A root app needs none, and group 0 would grant nothing.
 */
function fsGroupFor(mounts: readonly Mount[], imageUser: string): number | undefined {
  if (imageUser === '' || /^(0|root)(:|$)/.test(imageUser)) return undefined;
  const counts = new Map<number, number>();
  // Kubernetes takes ids up to 2^31-1 only (Docker up to 2^32-2): a larger group cannot be an fsGroup.
  for (const m of mounts) if (m.gid !== 0 && m.gid <= MAX_ID) counts.set(m.gid, (counts.get(m.gid) ?? 0) + 1);
  const best = [...counts.entries()].sort(([ga, a], [gb, b]) => b - a || ga - gb)[0];
  return best ? best[0] : undefined;
}

/**
 * A word of command or args as Kubernetes must hold it to pass it on unchanged: the kubelet reads
 * `$(NAME)` as a variable and `$$` as one `$`, so a `$` before `(` or `$` is doubled.
 */
export function noExpansion(word: string): string {
  return word.replace(/\$(?=[$(])/g, '$$$$');
}

/** The init container's name: seed-N, unless the app's container already has that name. */
function seedName(container: string, index: number): string {
  const name = `seed-${index}`;
  return name === container ? `ro-profile-seed-${index}` : name;
}

/** `base`, or base-2, base-3... (still a DNS-1123 label) when a volume already has that name. */
function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, 62 - String(i).length).replace(/-+$/, '')}-${i}`;
  taken.add(name);
  return name;
}

/** A DNS-1123 label: lowercase letters, digits and '-', at most 63, starting and ending alphanumeric. */
export function dnsLabel(s: string): string {
  const out = s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return out || 'app';
}
