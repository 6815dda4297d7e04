import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isRoProfileError } from '../../../src/errors.js';
import { parseManifest, selectContainer, WORKLOAD_PATHS, type WorkloadKind } from '../../../src/source/manifest.js';

const HELM = readFileSync(new URL('../../../examples/manifests/helm-template.yaml', import.meta.url), 'utf8');

/** The error a call throws, for its code and message. */
function thrown(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (isRoProfileError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('did not throw');
}

const podSpec = (name = 'app') => ({ containers: [{ name, image: 'example/app:1' }] });
/** A document of each kind, its pod spec where that kind keeps it. */
const DOCS: Record<WorkloadKind, object> = {
  Deployment: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: podSpec() } } },
  StatefulSet: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { template: { spec: podSpec() } } },
  DaemonSet: { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { template: { spec: podSpec() } } },
  ReplicaSet: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { template: { spec: podSpec() } } },
  Job: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: podSpec() } } },
  CronJob: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: podSpec() } } } } },
  Pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: podSpec() },
};

describe('parseManifest', () => {
  it('finds the workloads of helm template output and skips the other documents', () => {
    const ws = parseManifest(HELM, 'h.yaml');
    expect(ws.map((w) => `${w.kind}/${w.name}`)).toEqual(['StatefulSet/release-cache', 'Job/release-cache-check']);
    expect(ws[0]!.at).toBe('h.yaml:34:7');
  });

  it.each(Object.keys(DOCS) as WorkloadKind[])('finds the pod spec of a %s', (kind) => {
    const [w] = parseManifest(JSON.stringify(DOCS[kind]), 'm.yaml');
    expect(w!.kind).toBe(kind);
    expect(w!.podSpecPath).toEqual(WORKLOAD_PATHS[kind]);
    expect(w!.podSpec).toEqual(podSpec());
    expect(w!.namespace).toBe(kind === 'Pod' ? 'ns' : undefined);
  });

  it('names the line and column of a YAML error', () => {
    const e = thrown(() => parseManifest('kind: Service\n---\nkind: Deployment\nspec: [a\n  b: c\n', 'bad.yaml'));
    expect(e.code).toBe('USAGE');
    expect(e.message).toMatch(/^bad\.yaml:\d+:\d+: not valid YAML/);
    expect(e.message).toMatch(/^bad\.yaml:(4|5):/);
  });

  it('refuses a workload without containers or without a name', () => {
    expect(thrown(() => parseManifest('kind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {}}}\n', 'f.yaml')).message).toMatch(/f\.yaml:1:7: Deployment "x" has no containers under spec\.template\.spec\.containers/);
    expect(thrown(() => parseManifest('kind: Pod\nspec: {containers: [{name: a}]}\n', 'f.yaml')).message).toMatch(/without metadata\.name/);
  });
});

describe('selectContainer', () => {
  const ws = parseManifest(HELM, 'h.yaml');

  it.each([['redis'], ['release-cache/redis'], ['statefulset/release-cache/redis'], ['StatefulSet/release-cache/redis']])('takes --container %s', (sel) => {
    const p = selectContainer(ws, 'h.yaml', sel);
    expect([p.workload.name, p.index, p.container.name]).toEqual(['release-cache', 0, 'redis']);
  });

  it('takes the only container without --container', () => {
    const one = parseManifest(JSON.stringify(DOCS.Pod), 'p.yaml');
    expect(selectContainer(one, 'p.yaml').container.name).toBe('app');
  });

  it('lists the choices in the form --container takes when it is ambiguous', () => {
    const e = thrown(() => selectContainer(ws, 'h.yaml'));
    expect(e.code).toBe('USAGE');
    expect(e.message).toBe('h.yaml has 2 containers to choose from:\n  --container statefulset/release-cache/redis\n  --container job/release-cache-check/check');
  });

  it('refuses a name two workloads share, and one no workload has', () => {
    const two = parseManifest(`${JSON.stringify(DOCS.Deployment)}\n---\n${JSON.stringify(DOCS.Job)}`, 't.yaml');
    expect(thrown(() => selectContainer(two, 't.yaml', 'app')).message).toMatch(/names 2 containers in t\.yaml; the choices:\n {2}--container deployment\/d\/app\n {2}--container job\/j\/app/);
    expect(selectContainer(two, 't.yaml', 'j/app').workload.kind).toBe('Job');
    expect(thrown(() => selectContainer(two, 't.yaml', 'web')).message).toMatch(/has no container "web"/);
    expect(thrown(() => selectContainer(two, 't.yaml', 'a/b/c/d')).message).toMatch(/is not CONTAINER, WORKLOAD\/CONTAINER or KIND\/WORKLOAD\/CONTAINER/);
  });

  it('says so when the file holds no workload', () => {
    expect(thrown(() => selectContainer(parseManifest('kind: Service\nmetadata: {name: s}\n', 's.yaml'), 's.yaml')).message).toMatch(/s\.yaml holds no workload/);
  });
});
