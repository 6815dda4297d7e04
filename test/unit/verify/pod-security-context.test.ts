import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitK8s } from '../../../src/emit/k8s.js';
import { isRoProfileError, type RoProfileError } from '../../../src/errors.js';
import type { Hardening } from '../../../src/model/hardening.js';
import type { Result } from '../../../src/model/result.js';
import type { ContainerCreateSpec } from '../../../src/runtime/engine.js';
import { checkRunAsNonRoot, containerSpecOf, podSpecOf, type PodContainer, type PodSpec } from '../../../src/verify/pod.js';
import { sampleResult } from '../../helpers/sample-result.js';

const container = (over: Partial<PodContainer> = {}): PodContainer => ({ name: 'app', image: 'example/app:1', ...over });
const pod = (spec: Partial<PodSpec> = {}, c: Partial<PodContainer> = {}) => ({ kind: 'Pod', spec: { containers: [container(c)], ...spec } });

const BASE: ContainerCreateSpec = {
  image: 'sha256:1111',
  labels: {},
  env: [],
  user: 'nobody',
  binds: [],
  mounts: [],
  tmpfs: {},
  readOnlyRoot: false,
  publishLoopback: [8080],
  memoryBytes: 1024,
  pidsLimit: 64,
  // What the writable run had: the Pod's own settings replace them.
  capAdd: ['SYS_ADMIN'],
  capDrop: ['NET_RAW'],
};
const specOf = (c: PodContainer, spec: PodSpec = { containers: [] }, more: { assignedUser?: string; imageUser?: string; base?: ContainerCreateSpec } = {}) =>
  containerSpecOf(c, spec, { base: more.base ?? BASE, imageRef: 'example/app:1', volumes: new Map((spec.volumes ?? []).map((v) => [v.name, `verify-${v.name}`])), secrets: new Map(), ...(more.assignedUser !== undefined ? { assignedUser: more.assignedUser } : {}), ...(more.imageUser !== undefined ? { imageUser: more.imageUser } : {}) });

function caught(f: () => unknown): RoProfileError {
  try {
    f();
  } catch (e) {
    if (isRoProfileError(e)) return e;
    throw e;
  }
  throw new Error('it did not throw');
}

describe('checkRunAsNonRoot', () => {
  const nonRoot = container({ securityContext: { runAsNonRoot: true } });
  const noPod: PodSpec = { containers: [] };

  it.each([['0'], ['0:0'], ['0:1000'], [''], ['root']])('refuses user %j as root, as the kubelet does (CONTAINER_FAILED)', (user) => {
    const e = caught(() => checkRunAsNonRoot(nonRoot, noPod, user));
    expect(e.code).toBe('CONTAINER_FAILED');
    expect(e.message).toContain('container app');
    expect(e.message).toContain('CreateContainerConfigError');
    expect(e.hint).toMatch(/runAsUser/);
  });

  it.each([['app'], ['www-data:33'], ['nginx:nginx']])('refuses the non-numeric user %j, which the kubelet cannot check', (user) => {
    const e = caught(() => checkRunAsNonRoot(nonRoot, noPod, user));
    expect(e.code).toBe('CONTAINER_FAILED');
    expect(e.message).toContain(`non-numeric user (${user.split(':')[0]!})`);
  });

  it.each([['1000'], ['1000:0'], ['65532:65532'], ['1000680000:0']])('passes the numeric non-root user %j', (user) => {
    expect(() => checkRunAsNonRoot(nonRoot, noPod, user)).not.toThrow();
  });

  it('checks nothing without runAsNonRoot, or with it false', () => {
    expect(() => checkRunAsNonRoot(container(), noPod, '0')).not.toThrow();
    expect(() => checkRunAsNonRoot(container({ securityContext: { runAsNonRoot: false } }), noPod, 'root')).not.toThrow();
  });

  it('takes the Pod\'s runAsNonRoot, and the container\'s over it', () => {
    const podNonRoot: PodSpec = { securityContext: { runAsNonRoot: true }, containers: [] };
    expect(caught(() => checkRunAsNonRoot(container(), podNonRoot, '0')).code).toBe('CONTAINER_FAILED');
    expect(() => checkRunAsNonRoot(container({ securityContext: { runAsNonRoot: false } }), podNonRoot, '0')).not.toThrow();
    expect(caught(() => checkRunAsNonRoot(nonRoot, { securityContext: { runAsNonRoot: false }, containers: [] }, '0')).code).toBe('CONTAINER_FAILED');
  });
});

describe('containerSpecOf: runAsNonRoot', () => {
  it('checks the Pod\'s user first, then the platform\'s, the base\'s and the image\'s', () => {
    const c = container({ securityContext: { runAsNonRoot: true, runAsUser: 1000 } });
    expect(specOf(c, { containers: [] }, { base: { ...BASE, user: '0' } }).user).toBe('1000');
    // The platform's assigned UID when the Pod sets none.
    expect(specOf(container({ securityContext: { runAsNonRoot: true } }), { containers: [] }, { assignedUser: '1000680000:0' }).user).toBe('1000680000:0');
    // The base's user (the run's) is a name: refused.
    expect(caught(() => specOf(container({ securityContext: { runAsNonRoot: true } }))).code).toBe('CONTAINER_FAILED');
    // No user anywhere but the image's root.
    const { user: _u, ...noUser } = BASE;
    expect(caught(() => specOf(container({ securityContext: { runAsNonRoot: true } }), { containers: [] }, { base: noUser, imageUser: '' })).code).toBe('CONTAINER_FAILED');
    expect(specOf(container({ securityContext: { runAsNonRoot: true } }), { containers: [] }, { base: noUser, imageUser: '101' })).not.toHaveProperty('user');
    // runAsUser 0 with runAsNonRoot.
    expect(caught(() => specOf(container({ securityContext: { runAsNonRoot: true, runAsUser: 0 } }))).code).toBe('CONTAINER_FAILED');
  });
});

describe('containerSpecOf: capabilities', () => {
  it('maps drop and add to Docker\'s CapDrop and CapAdd, without the CAP_ prefix', () => {
    const s = specOf(container({ securityContext: { capabilities: { drop: ['ALL'], add: ['CAP_NET_BIND_SERVICE', 'chown', 'cap_setuid'] } } }));
    expect(s.capDrop).toEqual(['ALL']);
    expect(s.capAdd).toEqual(['NET_BIND_SERVICE', 'CHOWN', 'SETUID']);
  });

  it('keeps only the Pod\'s: the base\'s capabilities never carry over', () => {
    const dropOnly = specOf(container({ securityContext: { capabilities: { drop: ['all'] } } }));
    expect(dropOnly.capDrop).toEqual(['ALL']);
    expect(dropOnly).not.toHaveProperty('capAdd');
    const none = specOf(container());
    expect(none).not.toHaveProperty('capAdd');
    expect(none).not.toHaveProperty('capDrop');
    const empty = specOf(container({ securityContext: { capabilities: { drop: [], add: [] } } }));
    expect(empty).not.toHaveProperty('capAdd');
    expect(empty).not.toHaveProperty('capDrop');
  });
});

describe('podSpecOf: security settings', () => {
  const refused = (doc: unknown, message: RegExp) => {
    const e = caught(() => podSpecOf(doc));
    expect(e.code).toBe('INTERNAL');
    expect(e.message).toMatch(message);
  };

  it('takes seccompProfile RuntimeDefault on the Pod and the container', () => {
    expect(() => podSpecOf(pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }))).not.toThrow();
  });

  it.each([['Unconfined'], ['Localhost']])('refuses seccompProfile %s on the Pod and on the container', (type) => {
    refused(pod({ securityContext: { seccompProfile: { type } } }), new RegExp(`spec\\.securityContext\\.seccompProfile\\.type ${type}`));
    refused(pod({}, { securityContext: { seccompProfile: { type } } }), new RegExp(`container app\\.securityContext\\.seccompProfile\\.type ${type}`));
  });

  it('refuses a localhostProfile, even beside RuntimeDefault', () => {
    refused(pod({}, { securityContext: { seccompProfile: { type: 'RuntimeDefault', localhostProfile: 'p.json' } } }), /seccompProfile\.localhostProfile/);
  });

  it('takes only the sysctl net.ipv4.ip_unprivileged_port_start=0, which Docker sets already', () => {
    expect(() => podSpecOf(pod({ securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] } }))).not.toThrow();
    refused(pod({ securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '1024' }] } }), /sysctl net\.ipv4\.ip_unprivileged_port_start=1024/);
    refused(pod({ securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }, { name: 'kernel.shm_rmid_forced', value: '0' }] } }), /sysctl kernel\.shm_rmid_forced=0/);
  });

  it('refuses allowPrivilegeEscalation: true and takes false', () => {
    refused(pod({}, { securityContext: { allowPrivilegeEscalation: true } }), /allowPrivilegeEscalation: true in container app/);
    expect(() => podSpecOf(pod({}, { securityContext: { allowPrivilegeEscalation: false } }))).not.toThrow();
    // In an init container too.
    refused(pod({ initContainers: [container({ name: 'seed', securityContext: { allowPrivilegeEscalation: true } })] }), /container seed/);
  });

  it('takes runAsNonRoot and capabilities, and refuses what capabilities does not have', () => {
    expect(() => podSpecOf(pod({ securityContext: { runAsNonRoot: true } }, { securityContext: { runAsNonRoot: true, capabilities: { drop: ['ALL'], add: ['CHOWN'] } } }))).not.toThrow();
    refused(pod({}, { securityContext: { capabilities: { drop: ['ALL'], ambient: ['CHOWN'] } as unknown as { drop: string[] } } }), /capabilities\.ambient/);
  });
});

describe('the k8s emitter\'s hardened Pod, read back', () => {
  const hardened = (h: Partial<Hardening>, more: Partial<Result> = {}): Result => ({
    ...sampleResult(),
    hardening: { requested: 'auto', level: 'restricted', capDrop: ['ALL'], capAdd: [], noNewPrivileges: true, seccomp: 'RuntimeDefault', verified: true, rejected: [], ...h },
    ...more,
  });
  const readBack = (result: Result) => {
    const spec = podSpecOf(parse(emitK8s(result, { kind: 'pod', patch: false, memory: false })));
    return { spec, create: specOf(spec.containers[0]!, spec, { base: { ...BASE, user: '0' } }) };
  };

  it('runs a restricted result as its numeric user, with every capability dropped', () => {
    const { spec, create } = readBack(hardened({ user: { uid: 1000, gid: 1000 } }));
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(create).toMatchObject({ user: '1000:1000', capDrop: ['ALL'] });
    expect(create).not.toHaveProperty('capAdd');
  });

  it('adds back what a drop-caps result kept', () => {
    const { create } = readBack(hardened({ level: 'drop-caps', capAdd: [{ name: 'NET_BIND_SERVICE', reason: 'binds port 80', evidence: ['x'] }, { name: 'SETUID', reason: 'switches', evidence: ['y'] }] }));
    expect(create.capDrop).toEqual(['ALL']);
    expect(create.capAdd).toEqual(['NET_BIND_SERVICE', 'SETUID']);
  });

  it('carries the unprivileged port sysctl for a low port bound without NET_BIND_SERVICE, which a kubelet-like run takes', () => {
    const base = sampleResult();
    const result = hardened({ user: { uid: 1000, gid: 1000 } }, { exercise: { ...base.exercise, probes: [{ port: 80, kind: 'tcp', ok: true }] } });
    const { spec } = readBack(result);
    expect(spec.securityContext?.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
  });

  it('leaves an openshift result\'s user to the platform, and checks the one it assigns', () => {
    const { user: _ru, ...run } = sampleResult().run;
    const result = hardened({ level: 'openshift', user: { uid: 1000680000, gid: 0 }, arbitraryUid: true }, { run });
    const spec = podSpecOf(parse(emitK8s(result, { kind: 'pod', patch: false, memory: false })));
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(spec.securityContext).not.toHaveProperty('runAsUser');
    const c = spec.containers[0]!;
    expect(c.securityContext).not.toHaveProperty('runAsUser');
    expect(specOf(c, spec, { assignedUser: '1000680000:0', base: { ...BASE, user: '0' } }).user).toBe('1000680000:0');
    // Without the platform's user, an image that runs as root is not created.
    const { user: _u, ...noUser } = BASE;
    expect(caught(() => specOf(c, spec, { base: noUser, imageUser: 'root' })).code).toBe('CONTAINER_FAILED');
  });
});
