import { readFileSync } from 'node:fs';
import jsonpatch from 'fast-json-patch';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { emitWorkloadPatch, type WorkloadPatch } from '../../../src/emit/workload-patch.js';
import type { Hardening } from '../../../src/model/hardening.js';
import type { Result } from '../../../src/model/result.js';
import { parseResult } from '../../../src/model/parse-result.js';
import { getIn, parseManifest, selectContainer, type PickedContainer, type WorkloadKind } from '../../../src/source/manifest.js';
import { k8sProblems } from '../../helpers/k8s-api.js';
import { sampleResult } from '../../helpers/sample-result.js';
import { lostFields, strategicMerge } from '../../helpers/strategic-merge.js';

/**
 * The patches of a user's workload, applied to it the way their tools do: the strategic-merge
 * patch by test/helpers/strategic-merge.ts (kubectl's rules), the Kustomize JSON6902 patch by
 * fast-json-patch. Both must give the same workload, valid for Kubernetes, with every field the
 * user had still there (or tightened, as said), and the hardening we claim.
 */
const restricted: Hardening = { requested: 'auto', level: 'restricted', noNewPrivileges: true, seccomp: 'RuntimeDefault', verified: true, rejected: [], capDrop: ['ALL'], capAdd: [], user: { uid: 1000, gid: 1000 } };
const result = (h?: Hardening): Result => ({ ...sampleResult(), ...(h ? { hardening: h } : {}) });
const planPaths = result().plan.mounts.map((m) => m.path);

interface UserContainer {
  name: string;
  image: string;
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  [k: string]: unknown;
}

/** The user's pod spec: their own volumes, mounts, env, probe and securityContexts. */
const userPod = (): { securityContext: object; containers: UserContainer[]; volumes: object[] } => ({
  securityContext: { runAsNonRoot: true, sysctls: [{ name: 'net.ipv4.ping_group_range', value: '0 1' }] },
  containers: [
    { name: 'sidecar', image: 'example/sidecar:1' },
    {
      name: 'app',
      image: 'example/app:1',
      env: [{ name: 'MODE', value: 'prod' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
      ports: [{ name: 'http', containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/health', port: 'http' } },
      securityContext: { runAsNonRoot: true, capabilities: { drop: ['NET_RAW'] } },
      resources: { limits: { memory: '128Mi' } },
      volumeMounts: [{ name: 'config', mountPath: '/etc/app', readOnly: true }],
    },
  ],
  // A name ro-profile would pick for /var/log/app: ours must not take it.
  volumes: [{ name: 'config', configMap: { name: 'app-config' } }, { name: 'app-var-log-app-cf0b1e', emptyDir: {} }],
});

const DOCS: Record<WorkloadKind, (pod: object) => object> = {
  Deployment: (spec) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec } } }),
  StatefulSet: (spec) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' }, spec: { serviceName: 'web', selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec } } }),
  DaemonSet: (spec) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec } } }),
  ReplicaSet: (spec) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec } } }),
  Job: (spec) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'web' }, spec: { template: { spec: { ...spec, restartPolicy: 'Never' } } } }),
  CronJob: (spec) => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'web' }, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { ...spec, restartPolicy: 'Never' } } } } } }),
  Pod: (spec) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec }),
};

function pick(doc: object, container = 'app'): PickedContainer {
  return selectContainer(parseManifest(YAML.stringify(doc), 'm.yaml'), 'm.yaml', container);
}

/** The workload as each patch leaves it: both must be the same. */
function applied(picked: PickedContainer, p: WorkloadPatch): { smp: unknown; json: unknown } {
  const smp = strategicMerge(picked.workload.doc, YAML.parse(p.strategic));
  const ops = YAML.parse(p.json6902) as jsonpatch.Operation[];
  expect(ops).toEqual(p.ops);
  const json = jsonpatch.applyPatch(structuredClone(picked.workload.doc), ops, true, false).newDocument;
  return { smp, json };
}

const emit = (picked: PickedContainer, r = result(restricted)) => emitWorkloadPatch(r, picked, { memory: false, resource: 'deploy.yaml' });

describe('emitWorkloadPatch', () => {
  it.each(Object.keys(DOCS) as WorkloadKind[])('patches a %s: both patches give the same workload, hardened, nothing of the user lost', (kind) => {
    const picked = pick(DOCS[kind](userPod()));
    const p = emit(picked);
    const { smp, json } = applied(picked, p);
    expect(json).toEqual(smp);
    const podPath = picked.workload.podSpecPath;
    const pod = getIn(smp, podPath) as { containers: { name: string; securityContext: Record<string, unknown>; volumeMounts: { name: string; mountPath: string }[] }[]; volumes: { name: string }[]; securityContext: Record<string, unknown> };
    const app = pod.containers[1]!;
    expect(app.securityContext).toEqual({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    // The user's sysctl stays beside any we add (a sysctls list is replaced whole by a merge).
    expect(pod.securityContext.sysctls).toContainEqual({ name: 'net.ipv4.ping_group_range', value: '0 1' });
    expect(app.volumeMounts.map((m) => m.mountPath)).toEqual(['/etc/app', ...planPaths]);
    const names = pod.volumes.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    // The user's volume of the name ro-profile would have picked is theirs still; ours is another.
    expect(names).toContain('app-var-log-app-cf0b1e-2');
    expect(pod.volumes.find((v) => v.name === 'app-var-log-app-cf0b1e')).toEqual({ name: 'app-var-log-app-cf0b1e', emptyDir: {} });
    for (const m of app.volumeMounts) expect(names).toContain(m.name);
    expect(pod.containers[0]).toEqual({ name: 'sidecar', image: 'example/sidecar:1' });
    // Everything else the user wrote is still there; only their capabilities.drop became ALL.
    const lost = lostFields(picked.workload.doc, smp);
    expect(lost).toEqual([`.${[...podPath, 'containers'].join('.')}[name="app"].securityContext.capabilities.drop: ["NET_RAW"] became ["ALL"]`]);
    // Kubernetes takes the result: the pod spec of any kind, as a Pod; a Deployment whole.
    const asPod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: pod };
    expect(k8sProblems(asPod)).toEqual([]);
    if (kind === 'Deployment') {
      expect(k8sProblems(smp)).toEqual([]);
      expect(k8sProblems(YAML.parse(p.strategic), { patch: true })).toEqual([]);
    }
  });

  it('puts the patch at the kind\'s pod template, with the workload\'s name and namespace', () => {
    const cron = YAML.parse(emit(pick(DOCS.CronJob(userPod()))).strategic) as Record<string, unknown>;
    expect(Object.keys(cron)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(getIn(cron, ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', 0, 'name'])).toBe('app');
    const dep = YAML.parse(emit(pick(DOCS.Deployment(userPod()))).strategic) as Record<string, unknown>;
    expect(dep.metadata).toEqual({ name: 'web', namespace: 'shop' });
    const pod = emit(pick(DOCS.Pod(userPod())));
    expect(pod.ops.every((o) => o.path.startsWith('/spec/'))).toBe(true);
  });

  it('creates the securityContexts and lists the user did not have', () => {
    const bare = pick(DOCS.Deployment({ containers: [{ name: 'app', image: 'example/app:1' }] }));
    const p = emit(bare);
    expect(p.ops.map((o) => `${o.op} ${o.path}`)).toEqual([
      'add /spec/template/spec/securityContext',
      'add /spec/template/spec/containers/0/securityContext',
      'add /spec/template/spec/containers/0/volumeMounts',
      'add /spec/template/spec/volumes',
    ]);
    const { smp, json } = applied(bare, p);
    expect(json).toEqual(smp);
    expect(k8sProblems(smp)).toEqual([]);
  });

  it('appends to the user\'s lists with /-, and adds into an existing securityContext field by field', () => {
    const p = emit(pick(DOCS.Deployment(userPod())));
    const paths = p.ops.map((o) => `${o.op} ${o.path}`);
    expect(paths).toContain('add /spec/template/spec/containers/1/securityContext/readOnlyRootFilesystem');
    expect(paths).toContain('replace /spec/template/spec/containers/1/securityContext/capabilities/drop');
    expect(paths.filter((x) => x === 'add /spec/template/spec/containers/1/volumeMounts/-')).toHaveLength(planPaths.length);
    expect(paths.filter((x) => x === 'add /spec/template/spec/volumes/-')).toHaveLength(planPaths.length);
  });

  it('adds the unprivileged-port sysctl beside the user\'s own sysctls', () => {
    const r = result(restricted);
    const low: Result = { ...r, exercise: { ...r.exercise, probes: [...r.exercise.probes, { port: 80, kind: 'http', ok: true, status: 200 }] } };
    const picked = pick(DOCS.Deployment(userPod()));
    const p = emit(picked, low);
    expect(p.ops.map((o) => `${o.op} ${o.path}`)).toContain('replace /spec/template/spec/securityContext/sysctls');
    const { smp, json } = applied(picked, p);
    expect(json).toEqual(smp);
    expect(getIn(smp, ['spec', 'template', 'spec', 'securityContext', 'sysctls'])).toEqual([
      { name: 'net.ipv4.ping_group_range', value: '0 1' },
      { name: 'net.ipv4.ip_unprivileged_port_start', value: '0' },
    ]);
    expect(k8sProblems(smp)).toEqual([]);
  });

  it('mounts nothing where the container already has a mount, and says so', () => {
    const pod = userPod();
    pod.containers[1]!.volumeMounts!.push({ name: 'app-var-log-app-cf0b1e', mountPath: '/var/log/app' });
    const picked = pick(DOCS.Deployment(pod));
    const p = emit(picked);
    expect(p.notes).toEqual([expect.stringMatching(/^\/var\/log\/app is already mounted by the Deployment: left as it is/)]);
    expect(p.strategic).toContain('# /var/log/app is already mounted by the Deployment');
    const { smp } = applied(picked, p);
    const mounts = getIn(smp, ['spec', 'template', 'spec', 'containers', 1, 'volumeMounts']) as { mountPath: string }[];
    expect(mounts.filter((m) => m.mountPath === '/var/log/app')).toEqual([{ name: 'app-var-log-app-cf0b1e', mountPath: '/var/log/app' }]);
    expect(lostFields(picked.workload.doc, smp)).toHaveLength(1);
  });

  it('never loosens: a privileged container is not any more, the container\'s own user is the verified one', () => {
    const pod = userPod();
    Object.assign(pod.containers[1]!.securityContext!, { privileged: true, runAsUser: 0 });
    const picked = pick(DOCS.Deployment(pod));
    const p = emit(picked);
    const { smp } = applied(picked, p);
    const sc = getIn(smp, ['spec', 'template', 'spec', 'containers', 1, 'securityContext']);
    expect(sc).toMatchObject({ privileged: false, runAsUser: 1000, allowPrivilegeEscalation: false });
    expect(k8sProblems(smp)).toEqual([]);
    expect(p.notes).toHaveLength(2);
  });

  it('keeps the user\'s capabilities where the level sets none (--harden off)', () => {
    const picked = pick(DOCS.Deployment(userPod()));
    const { smp } = applied(picked, emit(picked, result()));
    expect(getIn(smp, ['spec', 'template', 'spec', 'containers', 1, 'securityContext', 'capabilities'])).toEqual({ drop: ['NET_RAW'] });
  });

  it('writes a kustomization that targets the workload, and Helm values of the same hardening', () => {
    const picked = pick(DOCS.Deployment(userPod()));
    const p = emit(picked);
    expect(YAML.parse(p.kustomization)).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['deploy.yaml'],
      patches: [{ target: { group: 'apps', version: 'v1', kind: 'Deployment', name: 'web', namespace: 'shop' }, path: 'patch.json6902.yaml' }],
    });
    const values = YAML.parse(p.values) as Record<string, unknown>;
    const smp = YAML.parse(p.strategic) as object;
    expect(values.securityContext).toEqual(getIn(smp, ['spec', 'template', 'spec', 'containers', 0, 'securityContext']));
    expect(values.podSecurityContext).toEqual(getIn(smp, ['spec', 'template', 'spec', 'securityContext']));
    expect(values.extraVolumes).toEqual(getIn(smp, ['spec', 'template', 'spec', 'volumes']));
    expect(values.extraVolumeMounts).toEqual(getIn(smp, ['spec', 'template', 'spec', 'containers', 0, 'volumeMounts']));
    expect(p.values).toMatch(/^# Helm values: only for a chart that exposes these keys/);
    const core = YAML.parse(emitWorkloadPatch(result(), pick(DOCS.Pod(userPod())), { memory: false, resource: 'p.yaml' }).kustomization) as { patches: { target: object }[] };
    expect(core.patches[0]!.target).toEqual({ version: 'v1', kind: 'Pod', name: 'web' });
  });

  it('gives the same bytes for the same input', () => {
    const a = emit(pick(DOCS.StatefulSet(userPod())));
    const b = emit(pick(DOCS.StatefulSet(userPod())));
    expect([a.strategic, a.json6902, a.kustomization, a.values]).toEqual([b.strategic, b.json6902, b.kustomization, b.values]);
  });
});

describe('the example manifests', () => {
  it.each([
    ['web', 'deployment.yaml', undefined],
    ['cache', 'helm-template.yaml', 'statefulset/release-cache/redis'],
  ])('examples/manifests/%s holds what the emitter prints from its result.json', (dir, file, container) => {
    const at = (f: string) => new URL(`../../../examples/manifests/${f}`, import.meta.url);
    const picked = selectContainer(parseManifest(readFileSync(at(file), 'utf8'), file), file, container);
    const result = parseResult(readFileSync(at(`${dir}/result.json`), 'utf8'), 'result.json');
    const p = emitWorkloadPatch(result, picked, { memory: false, resource: `../${file}` });
    expect(readFileSync(at(`${dir}/patch.yaml`), 'utf8')).toBe(p.strategic);
    expect(readFileSync(at(`${dir}/patch.json6902.yaml`), 'utf8')).toBe(p.json6902);
    expect(readFileSync(at(`${dir}/kustomization.yaml`), 'utf8')).toBe(p.kustomization);
    expect(readFileSync(at(`${dir}/values.yaml`), 'utf8')).toBe(p.values);
    const { smp, json } = applied(picked, p);
    expect(json).toEqual(smp);
  });

  it('patch the example Deployment as the CLI printed it', () => {
    const text = readFileSync(new URL('../../../examples/manifests/deployment.yaml', import.meta.url), 'utf8');
    const picked = selectContainer(parseManifest(text, 'deployment.yaml'), 'deployment.yaml');
    const p = emit(picked);
    const { smp, json } = applied(picked, p);
    expect(json).toEqual(smp);
    expect(k8sProblems(smp)).toEqual([]);
  });
});
