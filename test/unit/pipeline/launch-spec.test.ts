import { sampleImage, sampleRun } from '../../helpers/samples.js';
import { describe, expect, it } from 'vitest';
import type { ImageFacts } from '../../../src/model/image-facts.js';
import type { RunSpec } from '../../../src/model/run-spec.js';
import { WRITABLE, buildCreateSpec, userMountTargets, type HardeningSpec } from '../../../src/pipeline/launch-spec.js';
import { parseMountFlag, splitCsv } from '../../../src/syntax/mount-flag.js';
import type { MountSpec } from '../../../src/runtime/engine.js';

const IMAGE: ImageFacts = sampleImage({
  ref: 'ro-profile-fixture/redis:latest',
  id: 'sha256:9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d',
  user: 'redis',
  cmd: ['redis-server'],
  workingDir: '/var/lib/redis',
  exposedPorts: [{ port: 6379, protocol: 'tcp' }],
});

function runSpec(overrides: Partial<RunSpec> = {}): RunSpec {
  return { ...sampleRun({ image: IMAGE.ref }, { probePorts: [6379] }), ...overrides };
}

const BASE = { image: IMAGE, secrets: new Map<string, string>(), limits: { memoryBytes: 1024 ** 3, pidsLimit: 512 }, hardening: WRITABLE, cwd: '/home/dev/project' };

function build(run: RunSpec, o: { secrets?: [string, string][]; hardening?: HardeningSpec } = {}) {
  return buildCreateSpec({
    image: IMAGE,
    run,
    secrets: new Map(o.secrets ?? []),
    labels: { 'io.ro-profile.managed': 'true' },
    limits: { memoryBytes: 1024 ** 3, pidsLimit: 512 },
    hardening: o.hardening ?? WRITABLE,
    cwd: '/home/dev/project',
  });
}

describe('buildCreateSpec', () => {
  it('runs the image by id with a writable root, limits and loopback ports', () => {
    expect(build(runSpec())).toEqual({
      image: IMAGE.id,
      labels: { 'io.ro-profile.managed': 'true' },
      hostname: expect.stringMatching(/^ro-profile-[0-9a-f]{12}$/),
      env: [],
      binds: [],
      mounts: [],
      tmpfs: {},
      readOnlyRoot: false,
      publishLoopback: [6379],
      memoryBytes: 1024 ** 3,
      pidsLimit: 512,
    });
  });

  it('gives every run of a session one hostname, and none where the network brings its own', () => {
    const a = buildCreateSpec({ ...BASE, labels: { 'io.ro-profile.session': 's1' }, run: runSpec() });
    const b = buildCreateSpec({ ...BASE, labels: { 'io.ro-profile.session': 's1', 'io.ro-profile.role': 'verify' }, run: runSpec() });
    const c = buildCreateSpec({ ...BASE, labels: { 'io.ro-profile.session': 's2' }, run: runSpec() });
    expect(a.hostname).toBe(b.hostname);
    expect(a.hostname).not.toBe(c.hostname);
    expect(build(runSpec({ network: 'host' })).hostname).toBeUndefined();
    expect(build(runSpec({ network: 'container:db' })).hostname).toBeUndefined();
    expect(build(runSpec({ network: 'backend' })).hostname).toMatch(/^ro-profile-/);
  });

  it('passes secret values to the engine, and only there', () => {
    const spec = build(runSpec({ env: [{ name: 'TOKEN' }, { name: 'TZ' }] }), { secrets: [['TOKEN', 's3cr=t'], ['TZ', 'UTC']] });
    expect(spec.env).toEqual(['TOKEN=s3cr=t', 'TZ=UTC']);
  });

  it.each([
    ['a relative path', './data:/data', '/home/dev/project/data:/data'],
    ['a relative path with options', 'conf/nginx:/etc/nginx/conf.d:ro', '/home/dev/project/conf/nginx:/etc/nginx/conf.d:ro'],
    ['a parent path', '../shared:/shared', '/home/dev/shared:/shared'],
    ['an absolute path', '/srv/data:/data:ro', '/srv/data:/data:ro'],
    ['a named volume', 'redis-data:/data', 'redis-data:/data'],
    ['an anonymous volume', '/data', '/data'],
  ])('makes the bind of %s absolute where needed', (_name, volume, bind) => {
    expect(build(runSpec({ volumes: [volume] })).binds).toEqual([bind]);
  });

  it.each<[string, Partial<RunSpec>, Partial<ReturnType<typeof build>>]>([
    ['a command replaces CMD', { command: ['redis-server', '--save', ''] }, { cmd: ['redis-server', '--save', ''] }],
    ['--entrypoint also drops CMD', { entrypoint: '/bin/sh' }, { entrypoint: ['/bin/sh'], cmd: [] }],
    ['--entrypoint with a command keeps the command', { entrypoint: '/bin/sh', command: ['-c', 'id'] }, { entrypoint: ['/bin/sh'], cmd: ['-c', 'id'] }],
    ['an empty --entrypoint clears it', { entrypoint: '' }, { entrypoint: [], cmd: [] }],
    ['--user is passed on', { user: '999:999' }, { user: '999:999' }],
  ])('knows that %s', (_name, overrides, expected) => {
    expect(build(runSpec(overrides))).toMatchObject(expected);
  });

  it('leaves entrypoint and cmd to the image when the user set neither', () => {
    const spec = build(runSpec());
    expect('entrypoint' in spec || 'cmd' in spec).toBe(false);
  });

  it.each([
    ['host', []],
    ['none', []],
    ['backend', [6379]],
  ])('publishes on loopback for --network %s: %j', (network, ports) => {
    const spec = build(runSpec({ network }));
    expect([spec.network, spec.publishLoopback]).toEqual([network, ports]);
  });

  it('puts the user’s mounts before the hardening mounts', () => {
    const tmp: MountSpec = { type: 'tmpfs', target: '/run', readOnly: false, tmpfsSizeBytes: 64 * 1024 * 1024 };
    const spec = build(runSpec({ mounts: ['type=volume,source=data,target=/data'] }), {
      hardening: { readOnlyRoot: true, tmpfs: { '/tmp': 'rw,noexec' }, mounts: [tmp] },
    });
    expect(spec.mounts).toEqual([{ type: 'volume', source: 'data', target: '/data', readOnly: false }, tmp]);
    expect([spec.readOnlyRoot, spec.tmpfs]).toEqual([true, { '/tmp': 'rw,noexec' }]);
  });
});

describe('parseMountFlag', () => {
  it.each<[string, MountSpec]>([
    ['type=bind,source=/etc/app,target=/etc/app,readonly', { type: 'bind', source: '/etc/app', target: '/etc/app', readOnly: true }],
    ['type=volume,src=data,dst=/data,volume-nocopy', { type: 'volume', source: 'data', target: '/data', readOnly: false, noCopy: true }],
    ['type=tmpfs,destination=/cache,tmpfs-size=1048576,tmpfs-mode=1770', { type: 'tmpfs', target: '/cache', readOnly: false, tmpfsSizeBytes: 1048576, tmpfsMode: 0o1770 }],
    ['target=/data', { type: 'volume', target: '/data', readOnly: false }],
    ['type=bind,source=/x,target=/y,ro=false', { type: 'bind', source: '/x', target: '/y', readOnly: false }],
    ['type=bind,source=/x,target=/y,readonly=1', { type: 'bind', source: '/x', target: '/y', readOnly: true }],
    ['"type=bind","source=/a,b",target=/y', { type: 'bind', source: '/a,b', target: '/y', readOnly: false }],
    ['type=bind,source=/x,target=/y,bind-propagation=rslave', { type: 'bind', source: '/x', target: '/y', readOnly: false }],
    ['Type=bind,Source=/x,Target=/y', { type: 'bind', source: '/x', target: '/y', readOnly: false }],
  ])('reads %s', (flag, spec) => {
    expect(parseMountFlag(flag)).toEqual(spec);
  });

  it.each([
    ['type=npipe,source=x,target=/x', '"--mount type=npipe,source=x,target=/x" cannot be used: unsupported type "npipe"'],
    ['type=bind,source=/x', '"--mount type=bind,source=/x" cannot be used: it has no target'],
    ['', '"--mount " cannot be used: it has no target'],
  ])('refuses %j as a usage error', (flag, message) => {
    expect(() => parseMountFlag(flag)).toThrow(expect.objectContaining({ code: 'USAGE', message, hint: 'Write it as docker does, e.g. --mount type=volume,source=data,target=/data' }));
  });
});

describe('splitCsv', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['"a,b",c', ['a,b', 'c']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
    ['a,,b,', ['a', 'b']],
    ['', []],
  ])('splits %j into %j', (s, fields) => {
    expect(splitCsv(s)).toEqual(fields);
  });
});

describe('userMountTargets', () => {
  it('gives the targets of -v and --mount, sorted', () => {
    const run = runSpec({ volumes: ['data:/data', '/host/cfg:/etc/app:ro', '/anon'], mounts: ['type=tmpfs,target=/cache', 'type=bind,source=/x,dst=/srv/x'] });
    expect(userMountTargets(run)).toEqual(['/anon', '/cache', '/data', '/etc/app', '/srv/x']);
  });
});
