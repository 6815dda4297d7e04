import { describe, expect, it } from 'vitest';
import type { ContainerCreateSpec } from '../../../src/runtime/engine.js';
import { forPodman, isPodman, podmanMasks, podmanTmpfs, withoutPodmanMountPoints } from '../../../src/runtime/podman.js';

const spec = (o: Partial<ContainerCreateSpec>): ContainerCreateSpec => ({ image: 'img', labels: {}, env: [], binds: [], mounts: [], tmpfs: {}, readOnlyRoot: true, publishLoopback: [], memoryBytes: 0, pidsLimit: 0, ...o });

describe('isPodman', () => {
  it("knows Podman's compatible API by its component name", () => {
    expect(isPodman([{ Name: 'Podman Engine' }, { Name: 'Conmon' }])).toBe(true);
    expect(isPodman([{ Name: 'Engine' }, { Name: 'containerd' }])).toBe(false);
    expect(isPodman(undefined)).toBe(false);
  });
});

describe('podmanMasks', () => {
  it("masks Podman's three writable tmpfs read-only where the config mounts nothing", () => {
    expect(podmanMasks(spec({})).map((m) => [m.target, m.readOnly, m.type])).toEqual([
      ['/run', true, 'tmpfs'],
      ['/tmp', true, 'tmpfs'],
      ['/var/tmp', true, 'tmpfs'],
    ]);
  });

  it('leaves a directory the config mounts, or mounts under, to the config', () => {
    const masks = podmanMasks(spec({ tmpfs: { '/tmp': 'rw' }, mounts: [{ type: 'volume', source: 'v', target: '/run/app', readOnly: false }], binds: ['/host:/var/tmp/x:ro'] }));
    expect(masks).toEqual([]);
  });

  it('masks nothing on a writable root (Podman adds nothing there)', () => {
    expect(podmanMasks(spec({ readOnlyRoot: false }))).toEqual([]);
  });
});

describe('podmanTmpfs', () => {
  it('turns uid=/gid= into U and keeps every other option in order', () => {
    expect(podmanTmpfs({ '/run/app': 'rw,noexec,size=64m,mode=0755,uid=1000,gid=1000', '/tmp': 'rw,mode=1777' })).toEqual({ '/run/app': 'rw,noexec,size=64m,mode=0755,U', '/tmp': 'rw,mode=1777' });
  });

  it('is what forPodman applies, with the masks', () => {
    const s = forPodman(spec({ tmpfs: { '/run/app': 'rw,uid=1,gid=2' } }));
    expect(s.tmpfs).toEqual({ '/run/app': 'rw,U' });
    expect(s.mounts.map((m) => m.target)).toEqual(['/tmp', '/var/tmp']);
  });
});

describe('withoutPodmanMountPoints', () => {
  it('drops a bare "C /etc" (its hidden mount points), keeps /etc when something under it changed', () => {
    expect(withoutPodmanMountPoints([{ kind: 'modified', path: '/etc' }, { kind: 'added', path: '/run/app/app.pid' }])).toEqual([{ kind: 'added', path: '/run/app/app.pid' }]);
    const real = [{ kind: 'modified' as const, path: '/etc' }, { kind: 'added' as const, path: '/etc/app.conf' }];
    expect(withoutPodmanMountPoints(real)).toEqual(real);
  });
});
