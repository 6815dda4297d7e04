import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { composeForPodman } from '../../../src/verify/compose-podman.js';
import { toYaml } from '../../../src/emit/yaml.js';

const file = (svc: Record<string, unknown>) => toYaml({ services: { app: { image: 'img', read_only: true, ...svc } } });
const tmpfsOf = (text: string) => (parse(text) as { services: { app: { tmpfs?: string[] } } }).services.app.tmpfs;

describe('composeForPodman', () => {
  it("gives tmpfs ownership as U, and masks Podman's own tmpfs where the service mounts nothing", () => {
    const out = composeForPodman(file({ tmpfs: ['/run/app:rw,size=64m,mode=0755,uid=1000,gid=1000'], volumes: ['data:/var/tmp/cache'] }), 'app', { baseFile: false });
    // /run keeps Podman's tmpfs (a mount under it needs its mount point), /var/tmp has a volume under it.
    expect(tmpfsOf(out)).toEqual(['/run/app:rw,size=64m,mode=0755,U', '/tmp:ro']);
  });

  it("adds no masks over the user's own compose file, whose mounts it does not see", () => {
    expect(tmpfsOf(composeForPodman(file({ tmpfs: ['/tmp:rw,uid=1,gid=1'] }), 'app', { baseFile: true }))).toEqual(['/tmp:rw,U']);
  });

  it('masks all three for a service with no mounts, and nothing without read_only', () => {
    expect(tmpfsOf(composeForPodman(file({}), 'app', { baseFile: false }))).toEqual(['/run:ro', '/tmp:ro', '/var/tmp:ro']);
    expect(tmpfsOf(composeForPodman(file({ read_only: false }), 'app', { baseFile: false }))).toBeUndefined();
  });
});
