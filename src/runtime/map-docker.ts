import type Docker from 'dockerode';
import type { HealthcheckSpec, ImageFacts, PortSpec } from '../model/image-facts.js';
import type { FsChange } from '../model/write-event.js';
import type { ContainerState, ContainerSummary, ManagedObject, PathStat, UsageSample } from './engine.js';

/** Docker API shapes (PascalCase) turned into ours, here and nowhere else. */

export function mapImage(ref: string, info: Docker.ImageInspectInfo): ImageFacts {
  const c = info.Config ?? ({} as Docker.ImageInspectInfo['Config']);
  const hc = mapHealthcheck((c as { Healthcheck?: DockerHealthcheck }).Healthcheck);
  return {
    ref,
    id: info.Id,
    repoDigests: [...(info.RepoDigests ?? [])].sort(),
    user: c.User ?? '',
    entrypoint: asList(c.Entrypoint),
    cmd: asList(c.Cmd),
    env: [...(c.Env ?? [])],
    workingDir: c.WorkingDir ?? '',
    exposedPorts: mapPorts(Object.keys(c.ExposedPorts ?? {})),
    volumes: Object.keys(c.Volumes ?? {}).sort(),
    ...(hc ? { healthcheck: hc } : {}),
    stopSignal: (c as { StopSignal?: string }).StopSignal || 'SIGTERM',
    os: info.Os,
    architecture: info.Architecture,
  };
}

interface DockerHealthcheck {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  Retries?: number;
}

function mapHealthcheck(h: DockerHealthcheck | undefined): HealthcheckSpec | undefined {
  if (!h?.Test || h.Test.length === 0 || h.Test[0] === 'NONE') return undefined;
  const ns = (v: number | undefined) => (v ? Math.round(v / 1e6) : undefined);
  const spec: { -readonly [K in keyof HealthcheckSpec]: HealthcheckSpec[K] } = { test: [...h.Test] };
  const interval = ns(h.Interval);
  const timeout = ns(h.Timeout);
  const start = ns(h.StartPeriod);
  if (interval !== undefined) spec.intervalMs = interval;
  if (timeout !== undefined) spec.timeoutMs = timeout;
  if (start !== undefined) spec.startPeriodMs = start;
  if (h.Retries) spec.retries = h.Retries;
  return spec;
}

function asList(v: string | string[] | null | undefined): string[] {
  if (v === null || v === undefined) return [];
  return typeof v === 'string' ? [v] : [...v];
}

export function mapPorts(keys: readonly string[]): PortSpec[] {
  const out: PortSpec[] = [];
  for (const k of keys) {
    const [p, proto = 'tcp'] = k.split('/');
    const port = Number(p);
    if (!Number.isInteger(port) || port <= 0) continue;
    if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') continue;
    out.push({ port, protocol: proto });
  }
  return out.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

export function mapChanges(changes: readonly { Path: string; Kind: number }[] | null): FsChange[] {
  const kinds = ['modified', 'added', 'deleted'] as const;
  return (changes ?? []).map((c) => ({ kind: kinds[c.Kind] ?? 'modified', path: c.Path }));
}

export function mapContainer(info: Docker.ContainerInspectInfo): ContainerState {
  const s = info.State;
  const health = (s as { Health?: { Status: string; Log?: { Output: string }[] } }).Health;
  const ips: Record<string, string> = {};
  for (const [name, n] of Object.entries(info.NetworkSettings?.Networks ?? {})) {
    if (n.IPAddress) ips[name] = n.IPAddress;
  }
  const loopbackPorts: Record<number, number> = {};
  for (const [key, bindings] of Object.entries(info.NetworkSettings?.Ports ?? {})) {
    const [p, proto] = key.split('/');
    if (proto !== 'tcp' || !bindings) continue;
    const b = bindings.find((x) => x.HostIp === '127.0.0.1') ?? bindings[0];
    if (b?.HostPort) loopbackPorts[Number(p)] = Number(b.HostPort);
  }
  const volumes = (info.Mounts ?? [])
    .filter((m) => m.Type === 'volume')
    .map((m) => ({
      name: m.Name ?? m.Source,
      destination: m.Destination,
      // Anonymous volumes get a 64-hex name from the engine.
      anonymous: /^[0-9a-f]{64}$/.test(m.Name ?? ''),
    }));
  return {
    id: info.Id,
    running: s.Running,
    status: s.Status,
    exitCode: s.ExitCode,
    hostPid: s.Pid ?? 0,
    oomKilled: s.OOMKilled,
    error: s.Error ?? '',
    startedAtMs: s.StartedAt && !s.StartedAt.startsWith('0001-') ? Date.parse(s.StartedAt) || 0 : 0,
    ...(health
      ? { health: { status: health.Status, lastOutput: health.Log?.at(-1)?.Output?.trim() ?? '' } }
      : {}),
    ips,
    loopbackPorts,
    volumes,
    networkMode: info.HostConfig?.NetworkMode ?? 'default',
  };
}

export function mapManagedContainer(c: Docker.ContainerInfo): ManagedObject {
  return {
    kind: 'container',
    id: c.Id,
    name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''),
    labels: c.Labels ?? {},
    createdAt: new Date(c.Created * 1000),
    state: c.State,
  };
}

export function mapManagedVolume(v: Docker.VolumeInspectInfo & { CreatedAt?: string }): ManagedObject {
  return {
    kind: 'volume',
    id: v.Name,
    name: v.Name,
    labels: v.Labels ?? {},
    createdAt: v.CreatedAt ? new Date(v.CreatedAt) : new Date(0),
  };
}

export function mapManagedNetwork(n: Docker.NetworkInspectInfo): ManagedObject {
  return {
    kind: 'network',
    id: n.Id,
    name: n.Name,
    labels: n.Labels ?? {},
    createdAt: n.Created ? new Date(n.Created) : new Date(0),
  };
}

/** Go's os.FileMode bits, as the archive API's X-Docker-Container-Path-Stat header carries them. */
const GO_MODE_DIR = 2 ** 31;
const GO_MODE_SYMLINK = 2 ** 27;
const GO_MODE_SETUID = 2 ** 23;
const GO_MODE_SETGID = 2 ** 22;
const GO_MODE_STICKY = 2 ** 20;

export function mapPathStat(headerBase64: string): PathStat | undefined {
  let stat: { mode?: number; size?: number; linkTarget?: string };
  try {
    stat = JSON.parse(Buffer.from(headerBase64, 'base64').toString('utf8')) as typeof stat;
  } catch {
    return undefined;
  }
  const m = stat.mode ?? 0;
  // The high bits are beyond 32-bit bitwise operators: test them arithmetically.
  const has = (bit: number) => Math.floor(m / bit) % 2 === 1;
  const special = [26, 25, 24, 21, 19].some((b) => has(2 ** b)); // device, pipe, socket, char device, irregular
  const type = has(GO_MODE_DIR) ? 'dir' : has(GO_MODE_SYMLINK) ? 'symlink' : special ? 'other' : 'file';
  const mode = (m % 512) + (has(GO_MODE_SETUID) ? 0o4000 : 0) + (has(GO_MODE_SETGID) ? 0o2000 : 0) + (has(GO_MODE_STICKY) ? 0o1000 : 0);
  return { type, mode, size: stat.size ?? 0, ...(stat.linkTarget ? { linkTarget: stat.linkTarget } : {}) };
}

/**
 * The stats API's one-shot answer: cgroup v1 engines report max_usage and total_inactive_file,
 * v2 engines inactive_file and no peak. A stopped container answers with zeros and no pids.
 */
export function mapStats(raw: unknown): UsageSample | undefined {
  const s = raw as { memory_stats?: { usage?: number; max_usage?: number; stats?: Record<string, number> }; cpu_stats?: { cpu_usage?: { total_usage?: number } }; pids_stats?: { current?: number } } | null;
  const usage = s?.memory_stats?.usage;
  if (usage === undefined || s?.pids_stats?.current === undefined) return undefined;
  const stats = s.memory_stats?.stats ?? {};
  return {
    memoryBytes: usage,
    ...(s.memory_stats?.max_usage !== undefined ? { memoryPeakBytes: s.memory_stats.max_usage } : {}),
    inactiveFileBytes: stats['total_inactive_file'] ?? stats['inactive_file'] ?? 0,
    cpuNs: s.cpu_stats?.cpu_usage?.total_usage ?? 0,
    pids: s.pids_stats.current,
  };
}

/** An inspected container as `drift` sees it; --tmpfs mounts are only in HostConfig.Tmpfs, not in Mounts. */
export function mapContainerSummary(info: Docker.ContainerInspectInfo): ContainerSummary {
  const points = [...(info.Mounts ?? []).map((m) => m.Destination), ...Object.keys(info.HostConfig?.Tmpfs ?? {})];
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config?.Image ?? info.Image,
    imageId: info.Image,
    running: info.State.Running,
    mountPoints: [...new Set(points)].sort(),
    labels: info.Config?.Labels ?? {},
  };
}

/** A listed container; the list carries no --tmpfs mounts (inspect it for those). */
export function mapListedContainer(c: Docker.ContainerInfo): ContainerSummary {
  return {
    id: c.Id,
    name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''),
    image: c.Image,
    imageId: c.ImageID,
    running: c.State === 'running',
    mountPoints: [...new Set((c.Mounts ?? []).map((m) => m.Destination))].sort(),
    labels: c.Labels ?? {},
  };
}
