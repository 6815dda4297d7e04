import { describe, expect, it } from 'vitest';
import type { ContainerCreateSpec } from '../../../src/runtime/engine.js';
import { toCreateOptions } from '../../../src/runtime/create-options.js';

const base: ContainerCreateSpec = {
  image: 'ro-profile-fixture/nginx:latest',
  labels: { 'io.ro-profile.managed': 'true' },
  env: ['A=1'],
  binds: [],
  mounts: [],
  tmpfs: {},
  readOnlyRoot: true,
  publishLoopback: [],
  memoryBytes: 256 * 1024 * 1024,
  pidsLimit: 128,
};

describe('toCreateOptions', () => {
  it('publishes ports on 127.0.0.1 only, with an engine-chosen host port', () => {
    const o = toCreateOptions({ ...base, publishLoopback: [80, 8443] });
    expect(o.ExposedPorts).toEqual({ '80/tcp': {}, '8443/tcp': {} });
    expect(o.HostConfig?.PortBindings).toEqual({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }], '8443/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
  });

  it('never grants privileges nor removes the container itself', () => {
    const o = toCreateOptions(base);
    expect(o.HostConfig).toMatchObject({ Privileged: false, SecurityOpt: ['no-new-privileges'], AutoRemove: false, ReadonlyRootfs: true });
  });

  it('leaves out what the spec does not set', () => {
    const o = toCreateOptions(base);
    for (const k of ['User', 'Entrypoint', 'Cmd', 'Hostname']) expect(o).not.toHaveProperty(k);
    for (const k of ['NetworkMode', 'NanoCpus', 'CapDrop', 'CapAdd', 'PidMode', 'GroupAdd']) expect(o.HostConfig).not.toHaveProperty(k);
  });

  it('maps tmpfs and volume mounts with their options', () => {
    const o = toCreateOptions({
      ...base,
      mounts: [
        { type: 'tmpfs', target: '/tmp', readOnly: false, tmpfsSizeBytes: 1024, tmpfsMode: 0o1777 },
        { type: 'volume', source: 'v1', target: '/data', readOnly: false, noCopy: true },
      ],
    });
    expect(o.HostConfig?.Mounts).toEqual([
      { Type: 'tmpfs', Target: '/tmp', Source: '', ReadOnly: false, TmpfsOptions: { SizeBytes: 1024, Mode: 0o1777 } },
      { Type: 'volume', Target: '/data', Source: 'v1', ReadOnly: false, VolumeOptions: { NoCopy: true } },
    ]);
  });
});
