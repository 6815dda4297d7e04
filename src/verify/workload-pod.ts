import { applyJsonPatch } from '../emit/json-patch.js';
import { emitWorkloadPatch } from '../emit/workload-patch.js';
import { getIn, isObj, type Obj, type PickedContainer } from '../source/manifest.js';
import type { Launcher } from './launcher.js';
import { podLauncher } from './k8s-launcher.js';
import { podSpecOf, type PodSpec } from './pod.js';

/** Volumes the cluster fills read-only: the profiling run kept the image's content there, and so does verification. */
const FILLED_READ_ONLY = ['configMap', 'secret', 'projected', 'downwardAPI'];
const POD_SECURITY = ['fsGroup', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'seccompProfile', 'sysctls'];
const CONTAINER_SECURITY = ['readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'capabilities', 'seccompProfile'];

/**
 * --manifest with --verify-with k8s: each config tried is the user's workload with the patch
 * applied (the JSON6902 ops, which the tests show equal the strategic merge), run kubelet-like.
 */
export function workloadLauncher(picked: PickedContainer, memory: boolean): Launcher {
  return podLauncher("docker (kubelet-like emptyDir; the manifest's workload as patched)", (result, mounts) => {
    const patch = emitWorkloadPatch({ ...result, plan: { ...result.plan, mounts } }, picked, { memory, resource: '' });
    const merged = getIn(applyJsonPatch(picked.workload.doc, patch.ops), picked.workload.podSpecPath) as Obj;
    const ours = new Set(((getIn(patch.strategicPatch, [...picked.workload.podSpecPath, 'initContainers']) as Obj[] | undefined) ?? []).map((c) => c.name));
    return podSpecOf({ kind: 'Pod', spec: asProfiled(merged, String(picked.container.name), ours) });
  });
}

/**
 * The merged pod spec as the profiling run ran it: the picked container alone (with the patch's
 * init containers), its env without the valueFrom ones (unset then too), the volumes the cluster
 * fills read-only left out (the image's content stays, read-only under the read-only root), and
 * only the fields a kubelet-like Docker run acts on: probes, scheduling and the like change no write.
 */
export function asProfiled(pod: Obj, container: string, initNames: ReadonlySet<unknown>): PodSpec {
  const inits = (Array.isArray(pod.initContainers) ? pod.initContainers.filter(isObj) : []).filter((c) => initNames.has(c.name));
  const app = (pod.containers as Obj[]).filter((c) => c.name === container);
  // The volumes those containers mount (another container's are not this run's).
  const used = new Set([...inits, ...app].flatMap((c) => (Array.isArray(c.volumeMounts) ? c.volumeMounts.filter(isObj).map((m) => m.name) : [])));
  const volumes = (Array.isArray(pod.volumes) ? pod.volumes.filter(isObj) : []).filter((v) => used.has(v.name) && !FILLED_READ_ONLY.some((k) => k in v));
  const kept = new Set(volumes.map((v) => v.name));
  const containerOf = (c: Obj) => ({
    name: c.name,
    image: c.image,
    ...(Array.isArray(c.command) ? { command: c.command } : {}),
    ...(Array.isArray(c.args) ? { args: c.args } : {}),
    ...(Array.isArray(c.env) ? { env: c.env.filter(isObj).filter((e) => e.valueFrom === undefined).map((e) => ({ name: e.name, ...(e.value !== undefined ? { value: String(e.value) } : {}) })) } : {}),
    ...(Array.isArray(c.ports) ? { ports: c.ports.filter(isObj).map((p) => ({ containerPort: p.containerPort })) } : {}),
    ...(isObj(c.securityContext) ? { securityContext: pick(c.securityContext, CONTAINER_SECURITY) } : {}),
    ...(isObj(c.resources) ? { resources: quantities(c.resources) } : {}),
    ...(Array.isArray(c.volumeMounts) ? { volumeMounts: c.volumeMounts.filter(isObj).filter((m) => kept.has(m.name)).map((m) => pick(m, ['name', 'mountPath', 'readOnly'])) } : {}),
  });
  return {
    ...(isObj(pod.securityContext) ? { securityContext: pick(pod.securityContext, POD_SECURITY) } : {}),
    ...(inits.length > 0 ? { initContainers: inits.map(containerOf) } : {}),
    containers: app.map(containerOf),
    ...(volumes.length > 0 ? { volumes: volumes.map((v) => pick(v, ['name', 'emptyDir', 'persistentVolumeClaim', 'hostPath'])) } : {}),
  } as unknown as PodSpec;
}

function pick(o: Obj, keys: readonly string[]): Obj {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

/** cpu and memory of requests and limits: what the run can set (ephemeral-storage and others it cannot). */
function quantities(r: Obj): Obj {
  const part = (x: unknown) => (isObj(x) ? pick(x, ['cpu', 'memory']) : undefined);
  const requests = part(r.requests);
  const limits = part(r.limits);
  return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}
