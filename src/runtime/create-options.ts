import type Docker from 'dockerode';
import type { ContainerCreateSpec } from './engine.js';

/** Our create spec in the engine's shape: loopback-only ports, no privileges, never auto-removed. */
export function toCreateOptions(spec: ContainerCreateSpec): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of spec.publishLoopback) {
    exposed[`${p}/tcp`] = {};
    // Never 0.0.0.0: profiling runs untrusted code, so its ports are reachable from this host only.
    bindings[`${p}/tcp`] = [{ HostIp: '127.0.0.1', HostPort: '' }];
  }
  return {
    Image: spec.image,
    Labels: { ...spec.labels },
    Env: [...spec.env],
    ...(spec.hostname !== undefined ? { Hostname: spec.hostname } : {}),
    ...(spec.user !== undefined ? { User: spec.user } : {}),
    ...(spec.entrypoint !== undefined ? { Entrypoint: [...spec.entrypoint] } : {}),
    ...(spec.cmd !== undefined ? { Cmd: [...spec.cmd] } : {}),
    ExposedPorts: exposed,
    HostConfig: {
      Binds: [...spec.binds],
      Mounts: spec.mounts.map((m) => ({
        Type: m.type,
        Target: m.target,
        Source: m.source ?? '',
        ReadOnly: m.readOnly,
        ...(m.noCopy ? { VolumeOptions: { NoCopy: true } } : {}),
        ...(m.type === 'tmpfs'
          ? {
              TmpfsOptions: {
                ...(m.tmpfsSizeBytes ? { SizeBytes: m.tmpfsSizeBytes } : {}),
                ...(m.tmpfsMode !== undefined ? { Mode: m.tmpfsMode } : {}),
              },
            }
          : {}),
      })) as unknown as Docker.MountSettings[],
      Tmpfs: { ...spec.tmpfs },
      ReadonlyRootfs: spec.readOnlyRoot,
      PortBindings: bindings,
      ...(spec.network ? { NetworkMode: spec.network } : {}),
      Memory: spec.memoryBytes,
      PidsLimit: spec.pidsLimit,
      ...(spec.nanoCpus !== undefined ? { NanoCpus: spec.nanoCpus } : {}),
      Privileged: false,
      SecurityOpt: ['no-new-privileges'],
      ...(spec.capDrop ? { CapDrop: [...spec.capDrop] } : {}),
      ...(spec.pidMode ? { PidMode: spec.pidMode } : {}),
      ...(spec.capAdd ? { CapAdd: [...spec.capAdd] } : {}),
      ...(spec.groupAdd ? { GroupAdd: [...spec.groupAdd] } : {}),
      AutoRemove: false,
    },
  };
}
