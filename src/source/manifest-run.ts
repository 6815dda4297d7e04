import { RoProfileError } from '../errors.js';
import type { ReadySpec } from '../model/exercise-profile.js';
import { isObj, type Obj, type PickedContainer } from './manifest.js';

/**
 * What the profiling run takes from a manifest's container, in the pass-through flags' terms:
 * `env` as `NAME=VALUE` (values are secrets: outputs name them only), `--user`, `--entrypoint`
 * and the command after `--`, `--mount`s for the volumes that are writable in the cluster, and
 * the readiness the workload declares. `warnings` say what cannot be had offline.
 */
export interface ManifestRun {
  readonly image: string;
  readonly env: readonly string[];
  readonly user?: string;
  readonly entrypoint?: string;
  readonly command: readonly string[];
  readonly mounts: readonly string[];
  readonly ready?: ReadySpec;
  /** Every mountPath the container already has: a patch must not mount there again. */
  readonly mountPaths: readonly string[];
  /** Those the cluster fills read-only (configMap, secret, projected, downwardAPI, ...): writes below them fail there. */
  readonly readOnlyPaths: readonly string[];
  readonly warnings: readonly string[];
}

const FILLED_READ_ONLY = ['configMap', 'secret', 'projected', 'downwardAPI'] as const;
const WRITABLE_VOLUMES = ['persistentVolumeClaim', 'hostPath', 'ephemeral', 'nfs'] as const;

/**
 * The container mapped to the run: k8s `command` replaces the ENTRYPOINT and `args` the CMD, and
 * `command` without `args` runs no CMD at all, which is what `docker run --entrypoint` does too.
 * `given` names the variables -e / --env-file already set: no warning for those.
 */
export function manifestRun(picked: PickedContainer, given: ReadonlySet<string> = new Set()): ManifestRun {
  const { container: c, workload: w } = picked;
  const cname = String(c.name ?? '');
  const warnings: string[] = [];
  if (typeof c.image !== 'string' || c.image === '') {
    throw new RoProfileError('USAGE', `${w.at}: container "${cname}" of ${w.kind} "${w.name}" has no image`, { hint: 'Profile a rendered manifest (helm template output), where every container names its image.' });
  }
  const argv = [...strings(c.command)];
  const args = [...strings(c.args)];
  if ([...argv, ...args].some((a) => /\$\([A-Za-z_][A-Za-z0-9_]*\)/.test(a))) {
    warnings.push(`container "${cname}": command/args use $(VAR), which the kubelet expands and Docker does not: the profiling run passes them literally`);
  }
  const env: string[] = [];
  for (const e of Array.isArray(c.env) ? c.env.filter(isObj) : []) {
    const name = String(e.name ?? '');
    if (e.valueFrom !== undefined) {
      if (!given.has(name)) warnings.push(`env ${name} comes from ${Object.keys(isObj(e.valueFrom) ? e.valueFrom : {}).join(', ') || 'valueFrom'}, which has no value offline: it is unset in the profiling run (give it with -e ${name}=VALUE)`);
      continue;
    }
    env.push(`${name}=${typeof e.value === 'string' ? e.value : e.value === undefined ? '' : String(e.value)}`);
  }
  for (const f of Array.isArray(c.envFrom) ? c.envFrom.filter(isObj) : []) {
    const ref = isObj(f.configMapRef) ? `configMap "${String(f.configMapRef.name)}"` : isObj(f.secretRef) ? `secret "${String(f.secretRef.name)}"` : 'a source';
    warnings.push(`envFrom ${ref} has no values offline: its variables are unset in the profiling run (give them with -e NAME=VALUE or --env-file FILE)`);
  }
  if (typeof c.workingDir === 'string') warnings.push(`workingDir ${c.workingDir} is not applied to the profiling run: the image's WORKDIR is used`);
  const pod = w.podSpec;
  if (Array.isArray(pod.initContainers) && pod.initContainers.length > 0) warnings.push(`the ${w.kind}'s init containers are not run when profiling: what they prepare is missing`);
  const user = userOf(isObj(c.securityContext) ? c.securityContext : {}, isObj(pod.securityContext) ? pod.securityContext : {}, warnings);
  const { mounts, mountPaths, readOnlyPaths } = mountsOf(c, pod, warnings);
  const ready = readyOf(c, warnings);
  return {
    image: c.image,
    env,
    ...(user !== undefined ? { user } : {}),
    ...(argv.length > 0 ? { entrypoint: argv[0]! } : {}),
    command: [...argv.slice(1), ...args],
    mounts,
    ...(ready ? { ready } : {}),
    mountPaths,
    readOnlyPaths,
    warnings,
  };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** runAsUser/runAsGroup, the container's over the pod's, as Docker's --user uid[:gid]. */
function userOf(sc: Obj, podSc: Obj, warnings: string[]): string | undefined {
  const uid = sc.runAsUser ?? podSc.runAsUser;
  const gid = sc.runAsGroup ?? podSc.runAsGroup;
  if (typeof uid !== 'number') {
    if (typeof gid === 'number') warnings.push(`runAsGroup ${gid} without runAsUser: the profiling run uses the image's user and group`);
    return undefined;
  }
  return typeof gid === 'number' ? `${uid}:${gid}` : String(uid);
}

/** The container's volumeMounts: writable ones become --mounts of the run, filled read-only ones are left to the image. */
function mountsOf(c: Obj, pod: Obj, warnings: string[]): { mounts: string[]; mountPaths: string[]; readOnlyPaths: string[] } {
  const volumes = new Map((Array.isArray(pod.volumes) ? pod.volumes.filter(isObj) : []).map((v) => [String(v.name), v] as const));
  const mounts: string[] = [];
  const mountPaths: string[] = [];
  const readOnlyPaths: string[] = [];
  for (const m of Array.isArray(c.volumeMounts) ? c.volumeMounts.filter(isObj) : []) {
    const path = String(m.mountPath ?? '');
    if (!path.startsWith('/')) continue;
    mountPaths.push(path);
    const v = volumes.get(String(m.name));
    const ro = m.readOnly === true ? ',readonly' : '';
    const filled = v && FILLED_READ_ONLY.find((k) => k in v);
    if (!v) {
      warnings.push(`volumeMount ${path} names no volume of the pod ("${String(m.name)}"): left out of the profiling run`);
    } else if (filled) {
      readOnlyPaths.push(path);
      warnings.push(`${path} is a ${filled} volume, read-only in Kubernetes and not to be had offline: the profiling run keeps what the image ships there, and a write below it (reported as a finding) fails in the cluster`);
    } else if ('emptyDir' in v) {
      mounts.push(`type=tmpfs,destination=${path}${ro}`);
    } else if (WRITABLE_VOLUMES.some((k) => k in v)) {
      mounts.push(`type=volume,destination=${path}${ro}`);
    } else {
      warnings.push(`${path}: volume "${String(m.name)}" is of a type ro-profile does not know (${Object.keys(v).filter((k) => k !== 'name').join(', ')}): left out of the profiling run`);
    }
  }
  return { mounts, mountPaths, readOnlyPaths };
}

/** readinessProbe httpGet / tcpSocket as the exercise's readiness; else the container's TCP ports must accept. */
function readyOf(c: Obj, warnings: string[]): ReadySpec | undefined {
  const ports = Array.isArray(c.ports) ? c.ports.filter(isObj) : [];
  const portOf = (p: unknown): number | undefined => (typeof p === 'number' ? p : ports.find((x) => x.name === p && typeof x.containerPort === 'number')?.containerPort as number | undefined);
  const probe = isObj(c.readinessProbe) ? c.readinessProbe : undefined;
  if (probe && isObj(probe.httpGet)) {
    const port = portOf(probe.httpGet.port);
    if (port !== undefined && probe.httpGet.scheme !== 'HTTPS') {
      return { http: { port, path: typeof probe.httpGet.path === 'string' ? probe.httpGet.path : '/', status: 200 } };
    }
    warnings.push('the readinessProbe (httpGet) is HTTPS or names an unknown port: readiness is the ports accepting');
  } else if (probe && isObj(probe.tcpSocket)) {
    const port = portOf(probe.tcpSocket.port);
    if (port !== undefined) return { ports: [port] };
    warnings.push('the readinessProbe (tcpSocket) names an unknown port: readiness is the ports accepting');
  } else if (probe) {
    warnings.push('the readinessProbe is not httpGet or tcpSocket: readiness is the ports accepting');
  }
  const tcp = ports.filter((p) => (p.protocol ?? 'TCP') === 'TCP' && typeof p.containerPort === 'number').map((p) => p.containerPort as number);
  return tcp.length > 0 ? { ports: [...new Set(tcp)].sort((a, b) => a - b) } : undefined;
}
