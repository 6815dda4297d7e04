import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { emitK8s, type K8sOptions } from '../../../src/emit/k8s.js';
import { parseResult } from '../../../src/model/parse-result.js';
import type { Hardening } from '../../../src/model/hardening.js';
import type { Result } from '../../../src/model/result.js';
import { emitCaseArb } from '../../helpers/emit-arbitraries.js';
import { apiServerProblems, k8sProblems, readBackAll, schemaErrors, unknownFields, type ReadBack } from '../../helpers/k8s-api.js';
import { sampleResult } from '../../helpers/sample-result.js';

/**
 * Every Pod and Deployment ro-profile writes is one Kubernetes takes: kubernetes-models' compiled
 * OpenAPI schemas (validate()), the field names its models declare, and the API server's own
 * checks that no schema states (test/helpers/k8s-api.ts). Each text is read back by the yaml
 * package and by PyYAML, which must agree.
 */
const RESULTS = new URL('../../fixtures/results/', import.meta.url);
const fixtureResults = readdirSync(RESULTS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f.slice(0, -'.json'.length), parseResult(readFileSync(new URL(f, RESULTS), 'utf8'), f)] as const);

/** The complete manifests: Pod and Deployment, disk- and memory-backed. */
const FULL: readonly Omit<K8sOptions, 'name'>[] = [
  { kind: 'pod', patch: false, memory: false },
  { kind: 'deployment', patch: false, memory: false },
  { kind: 'pod', patch: false, memory: true },
  { kind: 'deployment', patch: false, memory: true },
];

/** One result per level, as --harden leaves them (verified). */
const base = { requested: 'auto', noNewPrivileges: true, seccomp: 'RuntimeDefault', verified: true, rejected: [] } as const;
const HARDENINGS: readonly Hardening[] = [
  { ...base, level: 'restricted', capDrop: ['ALL'], capAdd: [], user: { uid: 33, gid: 33 } },
  { ...base, level: 'drop-caps', capDrop: ['ALL'], capAdd: [{ name: 'CHOWN', reason: 'chowns', evidence: ['x'] }, { name: 'SETUID', reason: 'switches user', evidence: ['y'] }] },
  { ...base, level: 'openshift', capDrop: ['ALL'], capAdd: [], user: { uid: 1000680000, gid: 0 }, arbitraryUid: true },
  { ...base, level: 'off', capDrop: [], capAdd: [] },
];
/** A result whose app answered on port 80: the Pod gets the unprivileged-port sysctl. */
const withLowPort = (r: Result): Result => ({ ...r, exercise: { ...r.exercise, probes: [...r.exercise.probes, { port: 80, kind: 'http', ok: true, status: 200 }] } });

const describeOptions = (o: Omit<K8sOptions, 'name'>, name?: string) =>
  `--k8s-kind ${o.kind}${o.memory ? ' --k8s-memory' : ''}${name !== undefined ? ` --service ${JSON.stringify(name)}` : ''}`;

function emitAll(label: string, result: Result, name?: string): { label: string; text: string }[] {
  return FULL.map((o) => ({ label: `${label} ${describeOptions(o, name)}`, text: emitK8s(result, { ...o, name }) }));
}

function expectValid({ label, text, doc }: ReadBack): void {
  expect(k8sProblems(doc), `${label}\n${text}`).toEqual([]);
  expect((doc as { kind: string }).kind, label).toMatch(/^(Pod|Deployment)$/);
}

describe('the checks themselves', () => {
  const pod = (spec: object, name = 'app') => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec });
  const app = { name: 'app', image: 'example/app:1' };

  it('take a minimal Pod and a minimal Deployment', () => {
    expect(k8sProblems(pod({ containers: [app] }))).toEqual([]);
    const labels = { app: 'app' };
    expect(k8sProblems({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app' }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [app] } } } })).toEqual([]);
  });

  it('reject with validate() what the OpenAPI schema rejects', () => {
    expect(schemaErrors(pod({ containers: [{ ...app, securityContext: { readOnlyRootFilesystem: 'true' } }] }))).not.toEqual([]);
    expect(schemaErrors(pod({ containers: [app], volumes: [{ name: 'v', emptyDir: { sizeLimit: '64 MiB' } }] }))).not.toEqual([]);
    expect(schemaErrors(pod({ containers: [{ ...app, env: [{ value: 'x' }] }] }))).not.toEqual([]);
    expect(schemaErrors({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app' }, spec: { template: { spec: { containers: [app] } } } })).not.toEqual([]);
  });

  it('find fields the API does not have, which the schemas let through', () => {
    const misspelt = pod({ containers: [{ ...app, securityContext: { readOnlyRootFileSystem: true }, volumeMounts: [{ name: 'v', mountPath: '/x', readonly: true }] }] });
    expect(schemaErrors(misspelt)).toEqual([]);
    expect(unknownFields(misspelt)).toEqual(['.spec.containers[0].securityContext.readOnlyRootFileSystem', '.spec.containers[0].volumeMounts[0].readonly']);
    expect(unknownFields(pod({ containers: [app], volumes: [{ name: 'v', emptyDir: { sizeLimit: '1Mi', medium: 'Memory' } }] }))).toEqual([]);
  });

  it('find what the API server refuses in code: names, duplicates, dangling mounts', () => {
    expect(apiServerProblems(pod({ containers: [app] }, 'App_1'))).toEqual(['metadata.name "App_1" is not a DNS-1123 subdomain']);
    expect(
      apiServerProblems(
        pod({
          initContainers: [{ ...app, name: 'app' }],
          containers: [{ ...app, volumeMounts: [{ name: 'a', mountPath: '/x' }, { name: 'b', mountPath: '/x' }] }],
          volumes: [{ name: 'a', emptyDir: {} }, { name: 'a', emptyDir: {} }],
        }),
      ),
    ).toEqual([
      'spec.volumes[1].name a: Duplicate value',
      'spec.containers[0].name app: Duplicate value',
      'spec.containers[0].volumeMounts[1].mountPath "/x": must be unique',
      'spec.containers[0].volumeMounts[1].name "b": Not found',
    ]);
    expect(apiServerProblems(pod({ containers: [{ name: 'App', env: [{ name: 'A' }, { name: 'A' }] }] }))).toEqual([
      'spec.containers[0].name "App" is not a DNS-1123 label',
      'spec.containers[0].image: Required value',
      'spec.containers[0].env[1].name A: repeated (server-side apply refuses it)',
    ]);
  });
});

describe('emitK8s output against the Kubernetes API', () => {
  let read: Map<string, ReadBack[]>;

  beforeAll(() => {
    const groups: [string, { label: string; text: string }[]][] = [
      ...fixtureResults.map(([name, result]): [string, { label: string; text: string }[]] => [name, emitAll(name, result)]),
      ['sample', [...emitAll('sample result', sampleResult()), ...emitAll('sample result', sampleResult(), 'on'), ...emitAll('sample result', sampleResult(), '.Web_App')]],
      ['hardened', fixtureResults.flatMap(([name, result]) => HARDENINGS.flatMap((h) => emitAll(`${name} --harden ${h.level}`, withLowPort({ ...result, hardening: h }))))],
    ];
    // One python process for all of them.
    const all = readBackAll(groups.flatMap(([, e]) => e));
    let at = 0;
    read = new Map(
      groups.map(([key, emitted]) => {
        at += emitted.length;
        return [key, all.slice(at - emitted.length, at)];
      }),
    );
  });

  it.each(fixtureResults.map(([name]) => name))('is valid for the result %s: Pod and Deployment, disk and memory', (name) => {
    expect(read.get(name)).toHaveLength(FULL.length);
    read.get(name)!.forEach(expectValid);
  });

  it('is valid with each --harden level: full securityContext, capabilities, the low-port sysctl', () => {
    expect(read.get('hardened')).toHaveLength(fixtureResults.length * HARDENINGS.length * FULL.length);
    read.get('hardened')!.forEach(expectValid);
  });

  it('is valid for a result with every option set, with and without --service', () => {
    expect(read.get('sample')).toHaveLength(3 * FULL.length);
    read.get('sample')!.forEach(expectValid);
  });

  it('is valid for generated results: any path, volume name, mount kind, env name, image user', () => {
    const seed = Date.now() ^ Math.floor(Math.random() * 0x7fffffff);
    const arb = fc.tuple(
      emitCaseArb,
      fc.constantFrom(...FULL),
      fc.constantFrom('', 'root', '0', 'root:root', 'app', '1000:1000', 'nobody'),
      fc.constantFrom(undefined, { sh: true, cp: true }),
    );
    const cases = fc.sample(arb, { numRuns: 150, seed });
    const emitted = cases.map(([c, o, user, tools], i) => {
      const result: Result = { ...c.result, image: { ...c.result.image, user }, fs: { ...c.result.fs, ...(tools ? { tools } : {}) } };
      const label = `seed ${seed}, case ${i} ${describeOptions(o, c.service)}: ${JSON.stringify({ user, run: result.run, mounts: result.plan.mounts })}`;
      return { label, text: emitK8s(result, { ...o, name: c.service }) };
    });
    readBackAll(emitted).forEach(expectValid);
  });
});
