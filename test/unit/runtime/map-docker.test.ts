import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { ImageFacts } from '../../../src/model/image-facts.js';
import { mapChanges, mapContainer, mapImage, mapManagedContainer, mapManagedVolume, mapPorts, mapStats } from '../../../src/runtime/map-docker.js';

/** The fields of `docker image inspect` that mapImage reads, as the engine sends them. */
function imageInspect(config: Record<string, unknown>, more: Record<string, unknown> = {}): Docker.ImageInspectInfo {
  return {
    Id: 'sha256:5f0c3a1e9b7d44c2a8e16f3b9d20c7a4e1f5b6c8d9a0e2f3b4c5d6e7f8091a2b',
    RepoTags: ['ro-profile-fixture/nginx:latest'],
    RepoDigests: [],
    Os: 'linux',
    Architecture: 'amd64',
    Config: config,
    ...more,
  } as unknown as Docker.ImageInspectInfo;
}

describe('mapImage', () => {
  it('maps the nginx fixture image', () => {
    const info = imageInspect({
      User: '',
      Entrypoint: null,
      Cmd: ['nginx', '-g', 'daemon off;'],
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      WorkingDir: '',
      ExposedPorts: { '80/tcp': {} },
      Volumes: null,
      StopSignal: 'SIGQUIT',
    });
    expect(mapImage('ro-profile-fixture/nginx:latest', info)).toEqual<ImageFacts>({
      ref: 'ro-profile-fixture/nginx:latest',
      id: 'sha256:5f0c3a1e9b7d44c2a8e16f3b9d20c7a4e1f5b6c8d9a0e2f3b4c5d6e7f8091a2b',
      repoDigests: [],
      user: '',
      entrypoint: [],
      cmd: ['nginx', '-g', 'daemon off;'],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      workingDir: '',
      exposedPorts: [{ port: 80, protocol: 'tcp' }],
      volumes: [],
      stopSignal: 'SIGQUIT',
      os: 'linux',
      architecture: 'amd64',
    });
  });

  it('turns the healthcheck durations from nanoseconds into milliseconds', () => {
    const info = imageInspect({ Healthcheck: { Test: ['CMD-SHELL', 'redis-cli ping'], Interval: 30e9, Timeout: 3e9, StartPeriod: 0, Retries: 3 } });
    expect(mapImage('redis:7', info).healthcheck).toEqual({ test: ['CMD-SHELL', 'redis-cli ping'], intervalMs: 30_000, timeoutMs: 3_000, retries: 3 });
  });

  it.each([
    ['a healthcheck of NONE', { Test: ['NONE'] }],
    ['an empty test', { Test: [] }],
    ['no test', {}],
  ])('has no healthcheck for %s', (_name, hc) => {
    expect('healthcheck' in mapImage('x', imageInspect({ Healthcheck: hc }))).toBe(false);
  });

  it.each<[string, Record<string, unknown>, Partial<ImageFacts>]>([
    ['an entrypoint given as a string', { Entrypoint: '/docker-entrypoint.sh' }, { entrypoint: ['/docker-entrypoint.sh'] }],
    ['no stop signal', {}, { stopSignal: 'SIGTERM' }],
    ['an empty stop signal', { StopSignal: '' }, { stopSignal: 'SIGTERM' }],
    ['volumes, sorted', { Volumes: { '/data': {}, '/backup': {} } }, { volumes: ['/backup', '/data'] }],
    ['a user', { User: 'redis' }, { user: 'redis' }],
  ])('maps %s', (_name, config, expected) => {
    expect(mapImage('x', imageInspect(config))).toMatchObject(expected);
  });

  it('sorts the registry digests', () => {
    const info = imageInspect({}, { RepoDigests: ['redis@sha256:bb', 'mirror/redis@sha256:aa'] });
    expect(mapImage('redis', info).repoDigests).toEqual(['mirror/redis@sha256:aa', 'redis@sha256:bb']);
  });

  it('copes with an image that has no Config at all', () => {
    const info = { Id: 'sha256:00', RepoDigests: null, Os: 'linux', Architecture: 'arm64' } as unknown as Docker.ImageInspectInfo;
    expect(mapImage('scratch-thing', info)).toMatchObject({ user: '', entrypoint: [], cmd: [], env: [], exposedPorts: [], volumes: [], repoDigests: [] });
  });
});

describe('mapPorts', () => {
  it('keeps valid TCP, UDP and SCTP ports, sorted by number', () => {
    expect(mapPorts(['443/tcp', '80/tcp', '53/udp', '8080', '9/sctp', 'x/tcp', '0/tcp', '7/foo'])).toEqual([
      { port: 9, protocol: 'sctp' },
      { port: 53, protocol: 'udp' },
      { port: 80, protocol: 'tcp' },
      { port: 443, protocol: 'tcp' },
      { port: 8080, protocol: 'tcp' },
    ]);
  });

  it('sorts the protocols of one port', () => {
    expect(mapPorts(['53/udp', '53/tcp'])).toEqual([
      { port: 53, protocol: 'tcp' },
      { port: 53, protocol: 'udp' },
    ]);
  });
});

describe('mapChanges', () => {
  it.each([
    [0, 'modified'],
    [1, 'added'],
    [2, 'deleted'],
    [9, 'modified'],
  ])('maps Kind %i to %s', (kind, expected) => {
    expect(mapChanges([{ Path: '/run/nginx.pid', Kind: kind }])).toEqual([{ kind: expected, path: '/run/nginx.pid' }]);
  });

  it('maps a null answer (no changes) to none', () => {
    expect(mapChanges(null)).toEqual([]);
  });
});

describe('mapContainer', () => {
  const anonymous = 'a'.repeat(64);
  const info = {
    Id: 'f00dfeed',
    State: {
      Running: true,
      Status: 'running',
      ExitCode: 0,
      OOMKilled: false,
      Error: '',
      Pid: 4242,
      StartedAt: '2026-11-25T19:03:21.123456789Z',
      Health: { Status: 'healthy', Log: [{ Output: 'old' }, { Output: 'PONG\n' }] },
    },
    NetworkSettings: {
      Networks: { bridge: { IPAddress: '172.17.0.2' }, isolated: { IPAddress: '' } },
      Ports: {
        '80/tcp': [
          { HostIp: '0.0.0.0', HostPort: '32768' },
          { HostIp: '127.0.0.1', HostPort: '32769' },
        ],
        '6379/tcp': [{ HostIp: '::', HostPort: '32770' }],
        '53/udp': [{ HostIp: '127.0.0.1', HostPort: '32771' }],
        '443/tcp': null,
      },
    },
    Mounts: [
      { Type: 'volume', Name: anonymous, Source: `/var/lib/docker/volumes/${anonymous}/_data`, Destination: '/data' },
      { Type: 'volume', Name: 'redis-data', Source: '/var/lib/docker/volumes/redis-data/_data', Destination: '/var/lib/redis' },
      { Type: 'bind', Source: '/etc/app', Destination: '/etc/app' },
    ],
    HostConfig: { NetworkMode: 'bridge' },
  } as unknown as Docker.ContainerInspectInfo;

  it('maps state, health, addresses, loopback ports and volumes into our shape', () => {
    expect(mapContainer(info)).toEqual({
      id: 'f00dfeed',
      running: true,
      status: 'running',
      exitCode: 0,
      oomKilled: false,
      error: '',
      startedAtMs: Date.parse('2026-11-25T19:03:21.123Z'),
      hostPid: 4242,
      health: { status: 'healthy', lastOutput: 'PONG' },
      ips: { bridge: '172.17.0.2' },
      loopbackPorts: { 80: 32769, 6379: 32770 },
      volumes: [
        { name: anonymous, destination: '/data', anonymous: true },
        { name: 'redis-data', destination: '/var/lib/redis', anonymous: false },
      ],
      networkMode: 'bridge',
    });
  });

  it('leaves health out for a container without a healthcheck', () => {
    const plain = { ...info, State: { Running: false, Status: 'exited', ExitCode: 137, OOMKilled: true } } as unknown as Docker.ContainerInspectInfo;
    const state = mapContainer(plain);
    expect('health' in state).toBe(false);
    expect([state.running, state.exitCode, state.oomKilled, state.error]).toEqual([false, 137, true, '']);
  });
});

describe('mapContainer start time', () => {
  it.each([
    ['a container that started', '2026-11-25T19:03:21Z', Date.parse('2026-11-25T19:03:21Z')],
    ['a container that never started (Docker’s zero time)', '0001-01-01T00:00:00Z', 0],
    ['no start time at all', undefined, 0],
    ['a start time that is not a date', 'yesterday', 0],
  ])('gives %s startedAtMs %s', (_name, startedAt, ms) => {
    const info = { Id: 'f00dfeed', State: { Running: false, Status: 'created', ExitCode: 0, OOMKilled: false, ...(startedAt ? { StartedAt: startedAt } : {}) }, NetworkSettings: {}, Mounts: [], HostConfig: {} } as unknown as Docker.ContainerInspectInfo;
    expect(mapContainer(info).startedAtMs).toBe(ms);
  });
});

describe('mapManagedContainer and mapManagedVolume', () => {
  it('names a container without the leading slash and dates it from seconds', () => {
    const c = { Id: 'abc', Names: ['/ro-profile-123'], Labels: { 'io.ro-profile.managed': 'true' }, Created: 1_700_000_000 } as unknown as Docker.ContainerInfo;
    expect(mapManagedContainer(c)).toEqual({ kind: 'container', id: 'abc', name: 'ro-profile-123', labels: { 'io.ro-profile.managed': 'true' }, createdAt: new Date(1_700_000_000_000) });
  });

  it('falls back to the id for a container without a name', () => {
    const c = { Id: 'abc', Created: 0 } as unknown as Docker.ContainerInfo;
    expect(mapManagedContainer(c)).toMatchObject({ name: 'abc', labels: {} });
  });

  it.each([
    ['2024-05-01T10:00:00Z', new Date('2024-05-01T10:00:00Z')],
    [undefined, new Date(0)],
  ])('dates a volume created at %s', (createdAt, date) => {
    const v = { Name: 'data', Driver: 'local', Mountpoint: '/x', Labels: null, ...(createdAt ? { CreatedAt: createdAt } : {}) } as unknown as Docker.VolumeInspectInfo;
    expect(mapManagedVolume(v)).toEqual({ kind: 'volume', id: 'data', name: 'data', labels: {}, createdAt: date });
  });
});

describe('mapStats', () => {
  it('a cgroup v1 engine\'s one-shot stats: usage, max_usage, total_inactive_file, CPU ns, pids', () => {
    const raw = { memory_stats: { usage: 7340032, max_usage: 9437184, stats: { total_inactive_file: 1048576, inactive_file: 5 } }, cpu_stats: { cpu_usage: { total_usage: 250000000 } }, pids_stats: { current: 3 } };
    expect(mapStats(raw)).toEqual({ memoryBytes: 7340032, memoryPeakBytes: 9437184, inactiveFileBytes: 1048576, cpuNs: 250000000, pids: 3 });
  });

  it('a cgroup v2 engine: inactive_file and no peak', () => {
    const raw = { memory_stats: { usage: 4194304, stats: { inactive_file: 65536 } }, cpu_stats: { cpu_usage: { total_usage: 1500000 } }, pids_stats: { current: 2 } };
    expect(mapStats(raw)).toEqual({ memoryBytes: 4194304, inactiveFileBytes: 65536, cpuNs: 1500000, pids: 2 });
  });

  it('a stopped container answers without memory usage or pids: no reading', () => {
    expect(mapStats({ memory_stats: {}, cpu_stats: { cpu_usage: { total_usage: 0 } }, pids_stats: {} })).toBeUndefined();
    expect(mapStats(null)).toBeUndefined();
  });
});
