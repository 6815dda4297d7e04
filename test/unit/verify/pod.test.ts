import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitK8s } from '../../../src/emit/k8s.js';
import { isRoProfileError } from '../../../src/errors.js';
import type { ContainerCreateSpec } from '../../../src/runtime/engine.js';
import { containerSpecOf, expandK8s, kubeletVolumeCommand, podSpecOf, processOf, userOf, withoutPassThrough, type PodContainer, type PodSpec } from '../../../src/verify/pod.js';
import { userMountTargets } from '../../../src/pipeline/launch-spec.js';
import { sampleResult } from '../../helpers/sample-result.js';

const container = (over: Partial<PodContainer> = {}): PodContainer => ({ name: 'app', image: 'example/app:1', ...over });

const BASE: ContainerCreateSpec = {
  image: 'sha256:1111',
  labels: { 'io.ro-profile.session': 's1' },
  env: ['TZ=UTC'],
  user: 'nobody',
  entrypoint: ['/from-the-run'],
  cmd: ['from', 'the', 'run'],
  binds: ['/home/dev/config:/config:ro'],
  mounts: [{ type: 'volume', source: 'cache', target: '/cache', readOnly: false }],
  tmpfs: {},
  readOnlyRoot: false,
  publishLoopback: [8080],
  memoryBytes: 1024,
  pidsLimit: 64,
};

describe('podSpecOf', () => {
  it('reads the spec of what the k8s emitter prints, Pod or Deployment', () => {
    const result = sampleResult();
    for (const kind of ['pod', 'deployment'] as const) {
      const spec = podSpecOf(parse(emitK8s(result, { kind, patch: false, memory: false })));
      expect(spec.containers).toHaveLength(1);
      // The plan's claim and emptyDir, then the user's own --mount of the volume "cache" (its claim).
      expect(spec.volumes?.map((v) => Object.keys(v).sort())).toEqual([
        ['name', 'persistentVolumeClaim'],
        ['emptyDir', 'name'],
        ['name', 'persistentVolumeClaim'],
      ]);
      // What the run passes through itself is left to the kubelet-like run, as docker run gives it.
      const own = withoutPassThrough(spec, userMountTargets(result.run));
      expect(own.volumes).toHaveLength(2);
      expect(own.containers[0]!.volumeMounts?.map((m) => m.mountPath)).not.toContain('/srv/app/cache');
    }
  });

  it.each([
    ['a field of the spec it does not know', { spec: { hostPID: true, containers: [container()] } }, /spec\.hostPID/],
    ['a field of a container', { spec: { containers: [container({ lifecycle: {} } as Partial<PodContainer>)] } }, /container app\.lifecycle/],
    ['a privileged container', { spec: { containers: [container({ securityContext: { privileged: true } as NonNullable<PodContainer['securityContext']> })] } }, /securityContext\.privileged/],
    ['a volume of another type', { spec: { containers: [container()], volumes: [{ name: 'h', configMap: { name: 'x' } }] } }, /volume h\.configMap/],
    ['two app containers', { spec: { containers: [container(), container({ name: 'b' })] } }, /2 app containers/],
    ['another kind', { kind: 'Service', spec: {} }, /kind Service/],
  ])('refuses %s, never drops it', (_what, doc, message) => {
    let caught: unknown;
    try {
      podSpecOf({ kind: 'Pod', ...doc });
    } catch (e) {
      caught = e;
    }
    expect(isRoProfileError(caught) && caught.code).toBe('INTERNAL');
    expect((caught as Error).message).toMatch(message);
  });
});

describe('kubeletVolumeCommand', () => {
  it('makes an emptyDir root-owned 0777 and a claim 0755', () => {
    expect(kubeletVolumeCommand({ name: 'a', emptyDir: {} }, undefined, '/v/0')).toBe('chown 0:0 /v/0 && chmod 777 /v/0');
    expect(kubeletVolumeCommand({ name: 'b', persistentVolumeClaim: { claimName: 'b' } }, undefined, '/v/1')).toBe('chown 0:0 /v/1 && chmod 755 /v/1');
  });

  it('with fsGroup, gives the group and g+rwxs, as SetVolumeOwnership does', () => {
    expect(kubeletVolumeCommand({ name: 'a', emptyDir: {} }, 1000, '/v/0')).toBe('chown 0:0 /v/0 && chmod 777 /v/0 && chgrp 1000 /v/0 && chmod g+rwxs /v/0');
  });
});

describe('userOf', () => {
  it('takes the container\'s ids over the pod\'s, and the image\'s user when neither says', () => {
    const spec: PodSpec = { securityContext: { runAsUser: 5, runAsGroup: 6 }, containers: [] };
    expect(userOf(container({ securityContext: { runAsUser: 1000 } }), spec)).toBe('1000:6');
    expect(userOf(container(), spec)).toBe('5:6');
    expect(userOf(container(), { containers: [] })).toBeUndefined();
  });

  it('refuses a group without a user: Docker cannot run that', () => {
    expect(() => userOf(container({ securityContext: { runAsGroup: 5 } }), { containers: [] })).toThrow(/runAsGroup without runAsUser/);
  });
});

describe('expandK8s', () => {
  const env = new Map([['NAME', 'world'], ['EMPTY', '']]);
  it.each([
    ['$$', '$'],
    ['$$(NAME)', '$(NAME)'],
    ['$(NAME)', 'world'],
    ['a$(EMPTY)b', 'ab'],
    ['$(UNSET)', '$(UNSET)'],
    ['$()', '$()'],
    ['$(NAME', '$(NAME'],
    ['$(NAME$$', '$(NAME$'],
    ['"$0"/* $f $', '"$0"/* $f $'],
    ['$$$(NAME)', '$world'],
  ])('%s → %s', (word, out) => {
    expect(expandK8s(word, env)).toBe(out);
  });

  it('reads back every word the emitter escaped', () => {
    for (const word of ['$(HOME)', 'a$$b', 'echo $$(date)', '${X}', '$']) {
      const r = sampleResult();
      const pod = podSpecOf(parse(emitK8s({ ...r, run: { ...r.run, entrypoint: word, command: [word] } }, { kind: 'pod', patch: false, memory: false })));
      expect(processOf(pod.containers[0]!, new Map([['HOME', '/root']]))).toEqual({ entrypoint: [word], cmd: [word] });
    }
  });
});

describe('processOf', () => {
  it('command replaces ENTRYPOINT and drops CMD; args alone replace CMD only', () => {
    const env = new Map<string, string>();
    expect(processOf(container({ command: ['/bin/x'] }), env)).toEqual({ entrypoint: ['/bin/x'], cmd: [] });
    expect(processOf(container({ command: ['/bin/x'], args: ['-v'] }), env)).toEqual({ entrypoint: ['/bin/x'], cmd: ['-v'] });
    expect(processOf(container({ args: ['-v'] }), env)).toEqual({ cmd: ['-v'] });
    expect(processOf(container(), env)).toEqual({});
  });
});

describe('containerSpecOf', () => {
  const volumes = new Map([['data', 'ro-profile-verify-final-aaaa']]);
  const spec: PodSpec = { securityContext: { fsGroup: 1000 }, containers: [] };

  it('takes the process, user, root and volumes from the Pod, and the rest from the base', () => {
    const c = container({
      command: ['/entrypoint.sh'],
      args: ['serve'],
      env: [{ name: 'TOKEN' }, { name: 'TZ' }],
      securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsUser: 1000 },
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
    });
    expect(containerSpecOf(c, spec, { base: BASE, imageRef: 'example/app:1', volumes, secrets: new Map([['TOKEN', 's3cr=t'], ['TZ', 'Europe/Paris']]) })).toEqual({
      image: 'sha256:1111',
      labels: { 'io.ro-profile.session': 's1' },
      // The base's own (all the run's values) first; a Pod variable only once.
      env: ['TZ=UTC', 'TOKEN=s3cr=t'],
      user: '1000',
      entrypoint: ['/entrypoint.sh'],
      cmd: ['serve'],
      binds: ['/home/dev/config:/config:ro'],
      mounts: [
        { type: 'volume', source: 'cache', target: '/cache', readOnly: false },
        // Never copied up from the image: a kubelet's volume starts empty.
        { type: 'volume', source: 'ro-profile-verify-final-aaaa', target: '/data', readOnly: false, noCopy: true },
      ],
      tmpfs: {},
      readOnlyRoot: true,
      publishLoopback: [8080],
      memoryBytes: 1024,
      pidsLimit: 64,
      groupAdd: ['1000'],
    });
  });

  it('keeps the image\'s process and the base\'s user when the Pod says nothing', () => {
    const s = containerSpecOf(container({ image: 'other/image:2' }), { containers: [] }, { base: BASE, imageRef: 'example/app:1', volumes, secrets: new Map() });
    expect(s).not.toHaveProperty('entrypoint');
    expect(s).not.toHaveProperty('cmd');
    expect(s).not.toHaveProperty('groupAdd');
    expect(s.user).toBe('nobody');
    // Only the app's own reference becomes the id the writable run ran.
    expect(s.image).toBe('other/image:2');
    expect(s.readOnlyRoot).toBe(false);
  });

  it('sets the memory and CPU of resources.limits, as a kubelet does (requests only schedule)', () => {
    const c = container({ resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '750m', memory: '160Mi' } } });
    const s = containerSpecOf(c, { containers: [] }, { base: BASE, imageRef: 'example/app:1', volumes, secrets: new Map() });
    expect(s).toMatchObject({ memoryBytes: 160 * 1024 * 1024, nanoCpus: 750_000_000, pidsLimit: BASE.pidsLimit });
    expect(() => containerSpecOf(container({ resources: { limits: { memory: 'a lot' } } }), { containers: [] }, { base: BASE, imageRef: 'example/app:1', volumes, secrets: new Map() })).toThrow(/quantity/);
  });

  it('refuses a mount of a volume the Pod does not declare', () => {
    expect(() => containerSpecOf(container({ volumeMounts: [{ name: 'nope', mountPath: '/x' }] }), spec, { base: BASE, imageRef: 'example/app:1', volumes, secrets: new Map() })).toThrow(/nope/);
  });
});
