import { RoProfileError } from '../errors.js';
import type { Result } from '../model/result.js';
import { getIn, isObj, type Obj, type PickedContainer } from '../source/manifest.js';
import { unverifiedHeader } from './emit.js';
import { jsonPatchOf, pointerSegment, type JsonPatchOp } from './json-patch.js';
import { k8sPodSpec, type K8sPodSpec } from './k8s.js';
import { logCommentLines } from './log-advice.js';
import { hardeningCommentLines } from './process-settings.js';
import { toYaml, toYamlWithComments } from './yaml.js';

export interface WorkloadPatchOptions {
  /** medium: Memory emptyDirs (--k8s-memory). */
  readonly memory: boolean;
  /** What Kustomize's `resources:` names: the manifest file, relative to where kustomization.yaml is written. */
  readonly resource: string;
}

/** The file names `--format all --out DIR` writes with --manifest, besides the usual ones. */
export const WORKLOAD_FILES = { strategic: 'patch.yaml', kustomization: 'kustomization.yaml', json6902: 'patch.json6902.yaml', values: 'values.yaml' } as const;

/** The patches of one user's workload: each text, and the data the texts hold (tests and verification apply them). */
export interface WorkloadPatch {
  readonly strategic: string;
  readonly kustomization: string;
  readonly json6902: string;
  readonly values: string;
  readonly strategicPatch: Obj;
  readonly ops: readonly JsonPatchOp[];
  /** What the patches could not do, said to the user (also in the patch's header comments). */
  readonly notes: readonly string[];
}

/**
 * The hardening of the user's own workload, as the tools they use take it: (a) a strategic-merge
 * patch (kubectl patch, Kustomize) of the container's securityContext, volumeMounts and the pod's
 * volumes at the kind's pod template; (b) a kustomization.yaml whose `patches:` entry targets the
 * workload with the same change as a JSON6902 patch; (c) Helm values in the common
 * extraVolumes/extraVolumeMounts style. Volume names never clash with the pod's own, no mount is
 * put where the container already has one, and what the user set stays unless it is looser.
 */
export function emitWorkloadPatch(result: Result, picked: PickedContainer, o: WorkloadPatchOptions): WorkloadPatch {
  const { workload: w, container } = picked;
  const containerName = String(container.name ?? '');
  const pod = w.podSpec;
  const existingPaths = (Array.isArray(container.volumeMounts) ? container.volumeMounts.filter(isObj) : []).map((m) => String(m.mountPath));
  const notes: string[] = [];
  const mounts = result.plan.mounts.filter((m) => {
    if (!existingPaths.includes(m.path)) return true;
    notes.push(`${m.path} is already mounted by the ${w.kind}: left as it is (ro-profile would have made it ${m.kind === 'volume' ? 'a claim' : 'an emptyDir'})`);
    return false;
  });
  const reservedVolumes = (Array.isArray(pod.volumes) ? pod.volumes.filter(isObj) : []).map((v) => String(v.name));
  const { spec, name, comments } = k8sPodSpec({ ...result, plan: { ...result.plan, mounts } }, { kind: 'deployment', patch: true, memory: o.memory, name: containerName, reservedVolumes }, w.podSpecPath);
  if (name !== containerName) {
    throw new RoProfileError('EMIT_FAILED', `container "${containerName}" of ${w.kind} "${w.name}" has a name Kubernetes does not take`, { hint: 'Name it as a DNS label (lower-case letters, digits, -).' });
  }
  keepUserSettings(spec, container, pod, notes);
  const strategicPatch: Obj = {
    apiVersion: w.apiVersion,
    kind: w.kind,
    metadata: { name: w.name, ...(w.namespace !== undefined ? { namespace: w.namespace } : {}) },
    ...nest(w.podSpecPath, spec),
  };
  const header = unverifiedHeader(result) + [...hardeningCommentLines(result), ...logCommentLines(result), ...notes.map((n) => `# ${n}\n`)].join('');
  const strategic = `${header}# strategic-merge patch of ${w.kind} "${w.name}", container "${containerName}": kubectl patch ${w.kind.toLowerCase()} ${w.name} --type strategic --patch-file ${WORKLOAD_FILES.strategic}\n${toYamlWithComments({ value: strategicPatch, comments })}`;
  // Only the pod spec changes: the document's kind and name are the target's, not operations.
  const ops = jsonPatchOf(w.podSpec, spec, w.podSpecPath.map((k) => `/${pointerSegment(k)}`).join(''));
  const json6902 = `${header}# JSON6902 patch of ${w.kind} "${w.name}" (kustomization.yaml applies it); the same change as ${WORKLOAD_FILES.strategic}\n${toYaml(ops)}`;
  return { strategic, json6902, kustomization: kustomizationOf(w, o.resource), values: valuesOf(spec, containerName), strategicPatch, ops, notes };
}

/** { a: { b: value } } for path [a, b]. */
function nest(path: readonly string[], value: unknown): Obj {
  return path.reduceRight<Obj>((acc, k) => ({ [k]: acc }), value as Obj);
}

/**
 * Never looser than what the user had: a container user the pod-level user would not override
 * is set too, the pod's own sysctls stay (a sysctls list is replaced, not merged), and a
 * privileged container (which Kubernetes refuses alongside allowPrivilegeEscalation: false) is not.
 */
function keepUserSettings(spec: K8sPodSpec, container: Obj, pod: Obj, notes: string[]): void {
  const ours = spec.containers[0]!.securityContext as unknown as Obj;
  const theirs = isObj(container.securityContext) ? container.securityContext : {};
  const podOurs = spec.securityContext as Obj | undefined;
  for (const k of ['runAsUser', 'runAsGroup'] as const) {
    if (podOurs?.[k] !== undefined && theirs[k] !== undefined && theirs[k] !== podOurs[k]) {
      ours[k] = podOurs[k];
      notes.push(`the container's own ${k} ${String(theirs[k])} becomes ${String(podOurs[k])}, the user verification ran as`);
    }
  }
  if (theirs.privileged === true) {
    ours.privileged = false;
    notes.push('the container was privileged: not any more (Kubernetes refuses privileged with allowPrivilegeEscalation: false, and verification ran it unprivileged)');
  }
  const theirSysctls = getIn(pod, ['securityContext', 'sysctls']);
  if (podOurs && Array.isArray(podOurs.sysctls) && Array.isArray(theirSysctls)) {
    const names = new Set(theirSysctls.filter(isObj).map((s) => s.name));
    podOurs.sysctls = [...theirSysctls, ...podOurs.sysctls.filter((s: Obj) => !names.has(s.name))];
  }
}

function kustomizationOf(w: PickedContainer['workload'], resource: string): string {
  const slash = w.apiVersion.indexOf('/');
  const target = {
    ...(slash >= 0 ? { group: w.apiVersion.slice(0, slash) } : {}),
    version: slash >= 0 ? w.apiVersion.slice(slash + 1) : w.apiVersion,
    kind: w.kind,
    name: w.name,
    ...(w.namespace !== undefined ? { namespace: w.namespace } : {}),
  };
  const doc = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [resource], patches: [{ target, path: WORKLOAD_FILES.json6902 }] };
  return `# kubectl kustomize . (or kustomize build .): ${w.kind} "${w.name}" with ro-profile's hardening\n# the JSON6902 patch below; or, the same change: "patches: [{path: ${WORKLOAD_FILES.strategic}}]" (a strategic merge)\n${toYamlWithComments({ value: doc, comments: [{ path: ['resources'], text: 'the manifest that was profiled, relative to this file: point it at where yours lives' }] })}`;
}

/** Helm values for charts that expose the common keys; which chart reads which is the chart's affair. */
function valuesOf(spec: K8sPodSpec, containerName: string): string {
  const c = spec.containers[0]!;
  const values: Obj = {
    securityContext: c.securityContext,
    ...(spec.securityContext ? { podSecurityContext: spec.securityContext } : {}),
    ...(spec.volumes ? { extraVolumes: spec.volumes } : {}),
    ...(c.volumeMounts ? { extraVolumeMounts: c.volumeMounts } : {}),
    ...(spec.initContainers ? { extraInitContainers: spec.initContainers } : {}),
  };
  const comments = [
    { path: ['securityContext'], text: `of the container "${containerName}" (some charts call it containerSecurityContext)` },
    ...(spec.initContainers ? [{ path: ['extraInitContainers'], text: 'copy what the image ships into a mount before the app starts (some charts: initContainers)' }] : []),
  ];
  return `# Helm values: only for a chart that exposes these keys (the common style: securityContext, podSecurityContext,\n# extraVolumes, extraVolumeMounts). Check your chart's values.yaml: a key a chart does not read is silently ignored;\n# there, use the Kustomize patch on "helm template" output instead.\n${toYamlWithComments({ value: values, comments })}`;
}
