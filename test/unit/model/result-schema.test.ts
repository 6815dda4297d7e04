import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { DirFacts, FsFacts, ImageTools, ShippedEntry, Symlink } from '../../../src/model/fs-facts.js';
import { HARDEN_LEVELS, type Hardening, type HardenRequest, type KeptCapability, type RejectedLevel } from '../../../src/model/hardening.js';
import type { HealthcheckSpec, ImageFacts, PortSpec } from '../../../src/model/image-facts.js';
import { FINDING_KINDS, type Finding, type Mount, type MountKind, type MountPlan } from '../../../src/model/mount-plan.js';
import { RESULT_SCHEMA_URL } from '../../../src/model/parse-result.js';
import type { Difference, ExecResult, ExerciseReport, ProbeResult, Result, ResultProfile, TraceReport, VerificationRecord, VerifyRound, VolumeSeen } from '../../../src/model/result.js';
import type { EnvRef, ExerciseSpec, RunSpec } from '../../../src/model/run-spec.js';
import type { Limits, MountUsage, RunUsage, UsageRecord } from '../../../src/model/usage.js';
import { WRITE_OPS, WRITE_SOURCES, type EntryType, type FsChange, type WriteEvent } from '../../../src/model/write-event.js';
import { sampleResult } from '../../helpers/sample-result.js';

interface SchemaNode {
  readonly description?: string;
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: boolean;
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, SchemaNode>>;
}

const SCHEMA = JSON.parse(readFileSync(new URL('../../../docs/result.schema.json', import.meta.url), 'utf8')) as SchemaNode;
const DEFS = SCHEMA.$defs ?? {};
const validate = new Ajv2020({ allErrors: true, strict: true }).compile<Result>(SCHEMA);

const FIXTURES = new URL('../../fixtures/results/', import.meta.url);
const fixtureNames = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();

/** A deep copy of the sample to break; `edit` gets it as plain JSON. */
function broken(edit: (r: any) => void): unknown {
  const r = structuredClone(sampleResult()) as any;
  edit(r);
  return r;
}

function errorsOf(data: unknown): ErrorObject[] {
  expect(validate(data)).toBe(false);
  return (validate.errors ?? []).map(({ instancePath, keyword, params }) => ({ instancePath, keyword, params }) as ErrorObject);
}

describe('docs/result.schema.json', () => {
  it('is the file parseResult loads', () => {
    expect(RESULT_SCHEMA_URL.href).toBe(new URL('../../../docs/result.schema.json', import.meta.url).href);
  });

  it('accepts a complete result built from the TypeScript types', () => {
    expect(validate(sampleResult()), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('has result fixtures to check', () => {
    expect(fixtureNames.length).toBeGreaterThan(0);
  });

  it.each(fixtureNames)('accepts the fixture %s', (name) => {
    const data: unknown = JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
    expect(validate(data), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  describe('rejects a broken result with the schema error that says why', () => {
    it('a missing field', () => {
      expect(errorsOf(broken((r) => delete r.run.image))).toEqual([{ instancePath: '/run', keyword: 'required', params: { missingProperty: 'image' } }]);
    });

    it('a missing top-level field', () => {
      expect(errorsOf(broken((r) => delete r.fs))).toEqual([{ instancePath: '', keyword: 'required', params: { missingProperty: 'fs' } }]);
    });

    it('another schema version', () => {
      expect(errorsOf(broken((r) => (r.schemaVersion = 2)))).toEqual([{ instancePath: '/schemaVersion', keyword: 'const', params: { allowedValue: 1 } }]);
    });

    it('a value outside a closed set', () => {
      expect(errorsOf(broken((r) => (r.plan.mounts[0].kind = 'ramdisk')))).toEqual([
        { instancePath: '/plan/mounts/0/kind', keyword: 'enum', params: { allowedValues: ['tmpfs', 'volume', 'seeded'] } },
      ]);
      expect(errorsOf(broken((r) => (r.findings[0].kind = 'disk-full')))).toEqual([
        { instancePath: '/findings/0/kind', keyword: 'enum', params: { allowedValues: [...FINDING_KINDS] } },
      ]);
      expect(errorsOf(broken((r) => (r.events[0].op = 'write')))).toEqual([{ instancePath: '/events/0/op', keyword: 'enum', params: { allowedValues: [...WRITE_OPS] } }]);
    });

    it('an extra property', () => {
      expect(errorsOf(broken((r) => (r.tool.commit = 'abc123')))).toEqual([
        { instancePath: '/tool', keyword: 'additionalProperties', params: { additionalProperty: 'commit' } },
      ]);
      expect(errorsOf(broken((r) => (r.extra = true)))).toEqual([{ instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'extra' } }]);
    });

    it('a value next to an environment variable name: run.env holds names only', () => {
      expect(errorsOf(broken((r) => (r.run.env[0].value = 'hunter2')))).toEqual([
        { instancePath: '/run/env/0', keyword: 'additionalProperties', params: { additionalProperty: 'value' } },
      ]);
    });

    it('a value smuggled into an environment variable name', () => {
      expect(errorsOf(broken((r) => (r.run.env[0].name = 'DATABASE_PASSWORD=hunter2')))).toEqual([
        { instancePath: '/run/env/0/name', keyword: 'pattern', params: { pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' } },
      ]);
    });

    it('a wrong type', () => {
      expect(errorsOf(broken((r) => (r.plan.mounts[0].uid = '1000')))).toEqual([{ instancePath: '/plan/mounts/0/uid', keyword: 'type', params: { type: 'integer' } }]);
    });

    it('a volume without its name, and a tmpfs with one', () => {
      expect(errorsOf(broken((r) => delete r.plan.mounts[0].volumeName))).toEqual([
        { instancePath: '/plan/mounts/0', keyword: 'required', params: { missingProperty: 'volumeName' } },
        { instancePath: '/plan/mounts/0', keyword: 'if', params: { failingKeyword: 'else' } },
      ]);
      expect(errorsOf(broken((r) => (r.plan.mounts[1].volumeName = 'logs')))).toEqual([
        { instancePath: '/plan/mounts/1/volumeName', keyword: 'false schema', params: {} },
        { instancePath: '/plan/mounts/1', keyword: 'if', params: { failingKeyword: 'then' } },
      ]);
    });

    it('a relative path where the container path must be absolute', () => {
      expect(errorsOf(broken((r) => (r.plan.mounts[0].path = 'srv/app/data')))).toEqual([
        { instancePath: '/plan/mounts/0/path', keyword: 'pattern', params: { pattern: '^/' } },
      ]);
    });
  });

  describe('cannot drift from the TypeScript types', () => {
    it("requires exactly the keys of a Result, and the sample has them all", () => {
      const keys: Shape<Result> = {
        schemaVersion: true,
        tool: true,
        engine: false,
        image: true,
        run: true,
        profile: false,
        exercise: true,
        changes: true,
        volumes: true,
        fs: true,
        events: true,
        analysis: true,
        plan: true,
        findings: true,
        verification: true,
        usage: false,
        hardening: false,
        limits: false,
      };
      expect(sorted(SCHEMA.required)).toEqual(sorted(Object.keys(sampleResult())));
      expect(sorted(SCHEMA.required)).toEqual(sorted(Object.entries(keys).filter(([, req]) => req).map(([k]) => k)));
      expect(sorted(Object.keys(SCHEMA.properties ?? {}))).toEqual(sorted(Object.keys(keys)));
    });

    // Each Shape<T> lists every key of T with whether it is required; it does not compile
    // when a field is added, removed, or turns optional or required.
    const SHAPES: Record<string, Record<string, boolean>> = {
      Tool: { name: true, version: true } satisfies Shape<Result['tool']>,
      ImageFacts: {
        ref: true,
        id: true,
        repoDigests: true,
        user: true,
        entrypoint: true,
        cmd: true,
        env: true,
        workingDir: true,
        exposedPorts: true,
        volumes: true,
        healthcheck: false,
        stopSignal: true,
        os: true,
        architecture: true,
      } satisfies Shape<ImageFacts>,
      PortSpec: { port: true, protocol: true } satisfies Shape<PortSpec>,
      HealthcheckSpec: { test: true, intervalMs: false, timeoutMs: false, startPeriodMs: false, retries: false } satisfies Shape<HealthcheckSpec>,
      RunSpec: {
        image: true,
        env: true,
        envFiles: true,
        user: false,
        entrypoint: false,
        command: true,
        volumes: true,
        mounts: true,
        publish: true,
        network: false,
        exercise: true,
      } satisfies Shape<RunSpec>,
      EnvRef: { name: true } satisfies Shape<EnvRef>,
      ResultProfile: { name: true, source: true, sha256: true, description: true, notes: false, writes: true, env: true } satisfies Shape<ResultProfile>,
      ExerciseSpec: { execs: true, durationMs: true, timeoutMs: true, settleMs: true, probePorts: true, probe: false, execTimeoutMs: false, steps: false, ready: false } satisfies Shape<ExerciseSpec>,
      ExerciseReport: { readiness: true, readyAfterMs: true, probes: true, execs: true, jobExitCode: false, trace: false } satisfies Shape<ExerciseReport>,
      TraceReport: { tracer: true, method: true, image: true, steps: true, lines: true, events: true } satisfies Shape<TraceReport>,
      ProbeResult: { port: true, kind: true, ok: true, status: false, bodySha256: false, bodyShapeSha256: false, contentType: false, error: false } satisfies Shape<ProbeResult>,
      ExecResult: { command: true, step: false, exitCode: true, output: true } satisfies Shape<ExecResult>,
      FsChange: { kind: true, path: true } satisfies Shape<FsChange>,
      VolumeSeen: { destination: true, name: true, anonymous: true } satisfies Shape<VolumeSeen>,
      FsFacts: { dirs: true, symlinks: true, tools: false } satisfies Shape<FsFacts>,
      ImageTools: { sh: true, cp: true } satisfies Shape<ImageTools>,
      DirFacts: {
        path: true,
        exists: true,
        created: false,
        type: false,
        uid: false,
        gid: false,
        mode: false,
        linkTarget: false,
        shipped: true,
        truncated: false,
      } satisfies Shape<DirFacts>,
      ShippedEntry: { name: true, type: true, size: true, uid: true, gid: true, mode: true, empty: false, linkTarget: false } satisfies Shape<ShippedEntry>,
      Symlink: { path: true, target: true } satisfies Shape<Symlink>,
      WriteEvent: {
        path: true,
        realPath: true,
        op: true,
        source: true,
        type: false,
        size: false,
        uid: false,
        gid: false,
        mode: false,
        errno: false,
        format: false,
      } satisfies Shape<WriteEvent>,
      Analysis: { persist: true, ephemeral: true, state: false, volumePrefix: false, minTmpfsBytes: false } satisfies Shape<Result['analysis']>,
      MountPlan: { mounts: true } satisfies Shape<MountPlan>,
      Mount: {
        path: true,
        kind: true,
        volumeName: false,
        created: false,
        uid: true,
        gid: true,
        mode: true,
        exec: true,
        sizeBytes: true,
        covers: true,
        coversCount: true,
        observedBytes: true,
        reasons: true,
        hides: true,
        verified: false,
      } satisfies Shape<Mount>,
      Finding: { kind: true, severity: true, path: true, message: true, evidence: true } satisfies Shape<Finding>,
      VerificationRecord: { format: true, runtime: true, version: true, result: true, rounds: true, notes: false } satisfies Shape<VerificationRecord>,
      VerifyRound: { kind: true, harden: false, mounts: true, without: false, result: true, differences: true, repaired: false, candidates: false, refused: false } satisfies Shape<VerifyRound>,
      Difference: { kind: true, message: true, lines: false, paths: false } satisfies Shape<Difference>,
      RunUsage: {
        source: true,
        durationMs: true,
        samples: true,
        memoryPeakBytes: true,
        workingSetPeakBytes: true,
        cpuSeconds: true,
        cpuPeakCores: true,
        pidsPeak: true,
        mounts: true,
      } satisfies Shape<RunUsage>,
      MountUsage: { path: true, peakBytes: true, source: true } satisfies Shape<MountUsage>,
      UsageRecord: { profile: false, verify: false } satisfies Shape<UsageRecord>,
      Limits: { policy: true, headroom: true, appMemoryBytes: true, tmpfsBytes: true, memoryBytes: true, cpus: true, cpuRequest: true, pids: true, basis: true } satisfies Shape<Limits>,
      Hardening: {
        requested: true,
        level: true,
        capDrop: true,
        capAdd: true,
        user: false,
        arbitraryUid: false,
        noNewPrivileges: true,
        seccomp: true,
        verified: true,
        rejected: true,
        notes: false,
        processes: false,
      } satisfies Shape<Hardening>,
      KeptCapability: { name: true, reason: true, evidence: true, alternative: false } satisfies Shape<KeptCapability>,
      RejectedLevel: { level: true, setting: true, message: true, evidence: true, fix: false } satisfies Shape<RejectedLevel>,
    };

    it('describes every object of the model, and only those', () => {
      const objectDefs = Object.entries(DEFS)
        .filter(([, d]) => d.type === 'object')
        .map(([name]) => name);
      expect(sorted(objectDefs)).toEqual(sorted(Object.keys(SHAPES)));
    });

    it.each(Object.keys(SHAPES))('$defs/%s has the properties and required keys of the type, and no others', (name) => {
      const def = DEFS[name]!;
      const shape = SHAPES[name]!;
      expect(def.additionalProperties).toBe(false);
      expect(sorted(Object.keys(def.properties ?? {}))).toEqual(sorted(Object.keys(shape)));
      expect(sorted(def.required)).toEqual(sorted(Object.keys(shape).filter((k) => shape[k])));
    });

    // Closed sets: the schema's enum equals the type's union, member for member.
    const ENUMS: [string, SchemaNode | undefined, readonly string[]][] = [
      ['WriteOp', DEFS['WriteOp'], WRITE_OPS],
      ['WriteSource', DEFS['WriteSource'], WRITE_SOURCES],
      ['FindingKind', DEFS['FindingKind'], FINDING_KINDS],
      ['EntryType', DEFS['EntryType'], members<EntryType>({ file: true, dir: true, symlink: true, other: true })],
      ['MountKind', DEFS['MountKind'], members<MountKind>({ tmpfs: true, volume: true, seeded: true })],
      ['Finding.severity', prop('Finding', 'severity'), members<Finding['severity']>({ info: true, warning: true, error: true })],
      ['ExerciseReport.readiness', prop('ExerciseReport', 'readiness'), members<ExerciseReport['readiness']>({ healthcheck: true, ports: true, settle: true, 'job-exit': true, trace: true })],
      ['ProbeResult.kind', prop('ProbeResult', 'kind'), members<ProbeResult['kind']>({ http: true, tcp: true })],
      ['FsChange.kind', prop('FsChange', 'kind'), members<FsChange['kind']>({ added: true, modified: true, deleted: true })],
      ['PortSpec.protocol', prop('PortSpec', 'protocol'), members<PortSpec['protocol']>({ tcp: true, udp: true, sctp: true })],
      ['VerificationRecord.result', prop('VerificationRecord', 'result'), members<VerificationRecord['result']>({ pass: true, fail: true })],
      ['RunUsage.source', prop('RunUsage', 'source'), members<RunUsage['source']>({ 'cgroup-v1': true, 'cgroup-v2': true, 'engine-stats': true })],
      ['Limits.policy', prop('Limits', 'policy'), members<Limits['policy']>({ starter: true, strict: true })],
      ['Hardening.requested', prop('Hardening', 'requested'), members<HardenRequest>({ auto: true, openshift: true, restricted: true, 'drop-caps': true, off: true })],
      ['Hardening.level', prop('Hardening', 'level'), HARDEN_LEVELS],
      ['RejectedLevel.level', prop('RejectedLevel', 'level'), HARDEN_LEVELS],
      ['VerifyRound.harden.level', prop('VerifyRound', 'harden')?.properties?.['level'], HARDEN_LEVELS],
      ['VerifyRound.kind', prop('VerifyRound', 'kind'), members<VerifyRound['kind']>({ verify: true, 'leave-one-out': true, final: true, harden: true })],
    ];

    it.each(ENUMS)('%s lists the members of the type', (_name, node, expected) => {
      expect(sorted(node?.enum as string[] | undefined)).toEqual(sorted(expected));
    });

    it('documents every property', () => {
      const undocumented: string[] = [];
      const walk = (node: SchemaNode, at: string) => {
        for (const [k, v] of Object.entries(node.properties ?? {})) if (!v.description) undocumented.push(`${at}/${k}`);
      };
      walk(SCHEMA, '');
      for (const [name, def] of Object.entries(DEFS)) walk(def, `$defs/${name}`);
      expect(undocumented).toEqual([]);
    });
  });
});

/** Every key of T, each marked true when T requires it and false when it is optional. */
type Shape<T> = { readonly [K in keyof T]-?: {} extends Pick<T, K> ? false : true };

/** The members of a string union, from a record that must name each one (or it does not compile). */
function members<U extends string>(all: Record<U, true>): U[] {
  return Object.keys(all) as U[];
}

function prop(def: string, key: string): SchemaNode | undefined {
  return DEFS[def]?.properties?.[key];
}

function sorted(xs: readonly string[] | undefined): string[] {
  return [...(xs ?? [])].sort();
}
