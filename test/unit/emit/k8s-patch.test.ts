import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { emitK8s } from '../../../src/emit/k8s.js';
import { parseResult } from '../../../src/model/parse-result.js';
import type { Result } from '../../../src/model/result.js';
import { emitCaseArb } from '../../helpers/emit-arbitraries.js';
import { k8sProblems, readBackAll, unknownFields } from '../../helpers/k8s-api.js';
import { userMountTargets } from '../../../src/pipeline/launch-spec.js';
import { sampleResult } from '../../helpers/sample-result.js';
import { sampleMount } from '../../helpers/samples.js';
import { lostFields, strategicMerge } from '../../helpers/strategic-merge.js';

/**
 * `--k8s-patch` is for a team that already has a Deployment: applied as a strategic-merge patch
 * (kubectl patch, or a Kustomize patch), it must leave a valid Deployment that keeps everything
 * the team wrote and carries the hardening. The merge is done on the YAML read back, by the
 * small strategic merge of test/helpers/strategic-merge.ts.
 */
const RESULTS = new URL('../../fixtures/results/', import.meta.url);
const fixtureResults = readdirSync(RESULTS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f.slice(0, -'.json'.length), parseResult(readFileSync(new URL(f, RESULTS), 'utf8'), f)] as const);

/** A plain Deployment a team might have: its own image reference, env, ports, a config volume, a sidecar. */
function teamDeployment(name: string, o: { readonly conflicting?: boolean } = {}): unknown {
  // Quoted: a name such as 0755 or on is a string to Kubernetes.
  const container = JSON.stringify(name);
  return YAML.parse(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${container}
  namespace: team
  labels: {app: ${container}, team: web}
spec:
  replicas: 3
  selector:
    matchLabels: {app: ${container}}
  template:
    metadata:
      labels: {app: ${container}, version: "2.1"}
    spec:
      serviceAccountName: web
      ${o.conflicting ? 'securityContext: {runAsNonRoot: true, fsGroup: 4242}' : 'securityContext: {runAsNonRoot: true}'}
      initContainers:
        - name: migrate
          image: registry.example.com/team/migrate:2.1
          args: [--up]
      containers:
        - name: ${container}
          image: registry.example.com/team/${name}:2.1
          imagePullPolicy: IfNotPresent
          args: [--listen, ":8080"]
          env:
            - {name: LOG_LEVEL, value: info}
            - name: TOKEN
              valueFrom: {secretKeyRef: {name: web, key: token}}
          ports:
            - {name: http, containerPort: 8080}
          resources:
            limits: {memory: 256Mi, cpu: 500m}
          securityContext:
            runAsNonRoot: true
            capabilities: {drop: [ALL]}
            ${o.conflicting ? 'readOnlyRootFilesystem: false\n            allowPrivilegeEscalation: true' : ''}
          volumeMounts:
            - {name: config, mountPath: /etc/team-config, readOnly: true}
        - name: log-shipper
          image: registry.example.com/team/shipper:1
          volumeMounts:
            - {name: config, mountPath: /etc/shipper, readOnly: true}
      volumes:
        - name: config
          configMap: {name: web-config}
`);
}

type Obj = Record<string, any>;

/** The hardening the patch promises, checked on the merged Deployment. */
function expectHardened(merged: Obj, patch: Obj, result: Result, label: string): void {
  const spec = merged['spec']['template']['spec'] as Obj;
  const patchSpec = patch['spec']['template']['spec'] as Obj;
  const name = patchSpec['containers'][0]['name'] as string;
  const app = (spec['containers'] as Obj[]).find((c) => c['name'] === name)!;
  expect(app, label).toBeDefined();
  expect(app['securityContext'], label).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
  const mountPaths = (app['volumeMounts'] as Obj[] | undefined)?.map((m) => m['mountPath']) ?? [];
  for (const m of result.plan.mounts) expect(mountPaths, `${label}: ${m.path} is mounted`).toContain(m.path);
  const volumes = new Map((spec['volumes'] as Obj[]).map((v) => [v['name'] as string, v]));
  for (const v of (patchSpec['volumes'] as Obj[] | undefined) ?? []) expect(volumes.get(v['name']), label).toEqual(v);
  for (const ic of (patchSpec['initContainers'] as Obj[] | undefined) ?? []) {
    expect((spec['initContainers'] as Obj[]).find((c) => c['name'] === ic['name']), label).toEqual(ic);
  }
  if (patchSpec['securityContext'] !== undefined) expect(spec['securityContext'], label).toMatchObject(patchSpec['securityContext']);
  // The sidecar is not the app: the patch leaves it as it was.
  expect((spec['containers'] as Obj[]).find((c) => c['name'] === 'log-shipper')?.['securityContext'], label).toBeUndefined();
}

describe('the --k8s-patch document', () => {
  it('names what Kustomize and kubectl need to find its target: apiVersion, kind, metadata.name', () => {
    const doc = YAML.parse(emitK8s(sampleResult(), { kind: 'pod', patch: true, memory: false })) as Obj;
    expect(doc['apiVersion']).toBe('apps/v1');
    expect(doc['kind']).toBe('Deployment');
    expect(doc['metadata']).toEqual({ name: 'app' });
    expect(YAML.parse(emitK8s(sampleResult(), { kind: 'pod', patch: true, memory: false, name: 'web' })).metadata).toEqual({ name: 'web' });
  });

  it('holds only the pod securityContext, initContainers, volumes and the container’s name, securityContext and volumeMounts', () => {
    for (const [label, result] of [...fixtureResults, ['sample', sampleResult()] as const]) {
      const doc = YAML.parse(emitK8s(result, { kind: 'pod', patch: true, memory: false })) as Obj;
      expect(Object.keys(doc), label).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
      expect(Object.keys(doc['spec']), label).toEqual(['template']);
      expect(Object.keys(doc['spec']['template']), label).toEqual(['spec']);
      const spec = doc['spec']['template']['spec'] as Obj;
      expect(['securityContext', 'initContainers', 'containers', 'volumes'], label).toEqual(expect.arrayContaining(Object.keys(spec)));
      expect(spec['containers'], label).toHaveLength(1);
      for (const key of Object.keys(spec['containers'][0])) expect(['name', 'securityContext', 'volumeMounts'], label).toContain(key);
      // No image, command, env or ports: the team's manifest keeps its own.
      expect(unknownFields(doc), label).toEqual([]);
      expect(k8sProblems(doc, { patch: true }), label).toEqual([]);
    }
  });

  it('is the same whatever --k8s-kind says: it always patches a Deployment', () => {
    const result = fixtureResults.find(([n]) => n === 'config-edit')![1];
    expect(emitK8s(result, { kind: 'deployment', patch: true, memory: false })).toBe(emitK8s(result, { kind: 'pod', patch: true, memory: false }));
  });

  it('carries the same spec as the complete Deployment, less what the team’s manifest has', () => {
    for (const [label, result] of [...fixtureResults, ['sample', sampleResult()] as const]) {
      const patch = YAML.parse(emitK8s(result, { kind: 'pod', patch: true, memory: false })) as Obj;
      const full = YAML.parse(emitK8s(result, { kind: 'deployment', patch: false, memory: false })) as Obj;
      const fullSpec = full['spec']['template']['spec'] as Obj;
      // What the team's manifest has already: the image, its command and env, ports, its resources (tuned to its load), and the run's own pass-through.
      const own = new Set(userMountTargets(result.run));
      const { image: _i, command: _c, args: _a, env: _e, envFrom: _f, ports: _p, resources: _r, volumeMounts, ...hardening } = fullSpec['containers'][0] as Obj;
      const kept = ((volumeMounts ?? []) as Obj[]).filter((m) => !own.has(m['mountPath']));
      const ownVolumes = new Set(((volumeMounts ?? []) as Obj[]).filter((m) => own.has(m['mountPath'])).map((m) => m['name']));
      const { hostNetwork: _h, volumes, ...rest } = fullSpec;
      const planVolumes = ((volumes ?? []) as Obj[]).filter((v) => !ownVolumes.has(v['name']));
      expect(patch['spec']['template']['spec'], label).toEqual({
        ...rest,
        ...(planVolumes.length > 0 ? { volumes: planVolumes } : {}),
        containers: [{ ...hardening, ...(kept.length > 0 ? { volumeMounts: kept } : {}) }],
      });
    }
  });
});

describe('the strategic merge used here', () => {
  it('merges maps key by key, containers and volumes by name, volumeMounts by mountPath, and replaces other lists', () => {
    const original = { a: { b: 1, c: [1, 2] }, containers: [{ name: 'x', image: 'i', volumeMounts: [{ name: 'v', mountPath: '/a' }] }, { name: 'y' }], volumes: [{ name: 'v', emptyDir: {} }] };
    const patch = { a: { c: [3], d: null }, containers: [{ name: 'x', volumeMounts: [{ name: 'w', mountPath: '/a' }, { name: 'u', mountPath: '/b' }] }, { name: 'z' }], volumes: [{ name: 'w', emptyDir: { sizeLimit: '1Mi' } }] };
    expect(strategicMerge(original, patch)).toEqual({
      a: { b: 1, c: [3] },
      containers: [{ name: 'x', image: 'i', volumeMounts: [{ name: 'w', mountPath: '/a' }, { name: 'u', mountPath: '/b' }] }, { name: 'y' }, { name: 'z' }],
      volumes: [{ name: 'v', emptyDir: {} }, { name: 'w', emptyDir: { sizeLimit: '1Mi' } }],
    });
    expect(lostFields(original, strategicMerge(original, patch))).toEqual(['.a.c: [1,2] became [3]', '.containers[name="x"].volumeMounts[mountPath="/a"].name: "v" became "w"']);
  });
});

describe('--k8s-patch applied to a plain Deployment', () => {
  const cases: [string, Result, string | undefined][] = [...fixtureResults.map(([n, r]): [string, Result, undefined] => [n, r, undefined]), ['sample', sampleResult(), undefined], ['sample --service web', sampleResult(), 'web']];

  // Every patch read back by the YAML 1.1 reader in one go (one process for all, not one per case).
  const texts = cases.flatMap(([label, result, service]) => [false, true].map((memory) => ({ label: `${label} memory=${memory}`, text: emitK8s(result, { kind: 'pod', patch: true, memory, name: service }) })));
  const readBack = new Map(readBackAll(texts).map((r, i) => [texts[i]!.label, r.doc as Obj]));

  it.each(cases)('%s: a valid Deployment that keeps every field of the original and has the hardening', (label, result, service) => {
    for (const memory of [false, true]) {
      const patch = readBack.get(`${label} memory=${memory}`)!;
      const container = patch['spec']['template']['spec']['containers'][0]['name'] as string;
      // The patch names the container as the complete manifest names it.
      expect(container).toBe(YAML.parse(emitK8s(result, { kind: 'pod', patch: false, memory, name: service })).spec.containers[0].name);
      const original = teamDeployment(container);
      const merged = strategicMerge(original, patch) as Obj;
      expect(k8sProblems(merged), `${label}\n${YAML.stringify(merged)}`).toEqual([]);
      expect(lostFields(original, merged), label).toEqual([]);
      expectHardened(merged, patch, result, label);
      // The merge is idempotent, as kubectl's is: applying the patch again changes nothing.
      expect(strategicMerge(merged, patch), label).toEqual(merged);
    }
  });

  it('overrides a manifest that said readOnlyRootFilesystem: false, allowPrivilegeEscalation: true, and keeps its other settings', () => {
    const result = fixtureResults.find(([n]) => n === 'busybox-app')![1];
    const patch = YAML.parse(emitK8s(result, { kind: 'pod', patch: true, memory: false })) as Obj;
    const original = teamDeployment('busybox-app', { conflicting: true });
    const merged = strategicMerge(original, patch) as Obj;
    expect(k8sProblems(merged)).toEqual([]);
    expect(lostFields(original, merged)).toEqual([
      '.spec.template.spec.securityContext.fsGroup: 4242 became 1000',
      '.spec.template.spec.containers[name="busybox-app"].securityContext.readOnlyRootFilesystem: false became true',
      '.spec.template.spec.containers[name="busybox-app"].securityContext.allowPrivilegeEscalation: true became false',
    ]);
    expect(merged['spec']['template']['spec']['containers'][0]['securityContext']).toEqual({ runAsNonRoot: true, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
  });

  it('replaces a mount of the original at the same path (volumeMounts merge by mountPath)', () => {
    const result: Result = { ...sampleResult(), plan: { mounts: [sampleMount({ path: '/etc/team-config' })] } };
    const patch = YAML.parse(emitK8s(result, { kind: 'pod', patch: true, memory: false })) as Obj;
    const merged = strategicMerge(teamDeployment('app'), patch) as Obj;
    const mounts = merged['spec']['template']['spec']['containers'][0]['volumeMounts'] as Obj[];
    expect(mounts).toHaveLength(1);
    expect(mounts[0]).toEqual({ name: patch['spec']['template']['spec']['volumes'][0]['name'], mountPath: '/etc/team-config', readOnly: true });
    expect(k8sProblems(merged)).toEqual([]);
  });

  it('needs the container’s name: a patch for another name adds a container without an image, which Kubernetes refuses', () => {
    const patch = YAML.parse(emitK8s(sampleResult(), { kind: 'pod', patch: true, memory: false, name: 'other' })) as Obj;
    const merged = strategicMerge(teamDeployment('app'), patch);
    expect(k8sProblems(merged)).toContain('spec.template.spec.containers[2].image: Required value');
  });

  it('gives a valid Deployment for generated results: any path, volume name, mount kind, --service', () => {
    const seed = Date.now() ^ Math.floor(Math.random() * 0x7fffffff);
    const drawn = fc.sample(fc.tuple(emitCaseArb, fc.boolean(), fc.constantFrom('', 'app', 'root')), { numRuns: 100, seed });
    const emitted = drawn.map(([c, memory, user], i) => {
      const result: Result = { ...c.result, image: { ...c.result.image, user } };
      return { result, label: `seed ${seed}, case ${i}: ${JSON.stringify({ service: c.service, memory, user, mounts: result.plan.mounts })}`, text: emitK8s(result, { kind: 'pod', patch: true, memory, name: c.service }) };
    });
    const read = readBackAll(emitted);
    read.forEach(({ label, text, doc }, i) => {
      const patch = doc as Obj;
      const original = teamDeployment(patch['spec']['template']['spec']['containers'][0]['name'] as string);
      const merged = strategicMerge(original, patch) as Obj;
      expect(k8sProblems(merged), `${label}\n${text}`).toEqual([]);
      expect(lostFields(original, merged), label).toEqual([]);
      expectHardened(merged, patch, emitted[i]!.result, label);
    });
  });
});
