import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { mapContainerSummary, mapListedContainer } from '../../../src/runtime/map-docker.js';

describe('mapContainerSummary', () => {
  it('takes the name without its slash, the image as given and by id, and every mount point, --tmpfs ones included', () => {
    const info = {
      Id: 'abc',
      Name: '/web',
      Image: 'sha256:111',
      Config: { Image: 'example/web:1', Labels: { a: 'b' } },
      State: { Running: false },
      Mounts: [{ Destination: '/data' }, { Destination: '/etc/app conf' }],
      HostConfig: { Tmpfs: { '/run': 'size=1m', '/data': '' } },
    } as unknown as Docker.ContainerInspectInfo;
    expect(mapContainerSummary(info)).toEqual({ id: 'abc', name: 'web', image: 'example/web:1', imageId: 'sha256:111', running: false, mountPoints: ['/data', '/etc/app conf', '/run'], labels: { a: 'b' } });
  });
});

describe('mapListedContainer', () => {
  it('maps a container of the list', () => {
    const c = { Id: 'abc', Names: ['/web'], Image: 'example/web:1', ImageID: 'sha256:111', State: 'running', Mounts: [{ Destination: '/data' }], Labels: {} } as unknown as Docker.ContainerInfo;
    expect(mapListedContainer(c)).toEqual({ id: 'abc', name: 'web', image: 'example/web:1', imageId: 'sha256:111', running: true, mountPoints: ['/data'], labels: {} });
  });
});
