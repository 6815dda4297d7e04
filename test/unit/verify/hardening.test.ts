import { describe, expect, it } from 'vitest';
import { hardeningOf } from '../../../src/verify/hardening.js';
import type { Mount } from '../../../src/model/mount-plan.js';

const mount = (path: string, kind: Mount['kind'], over: Partial<Mount> = {}): Mount => ({
  path, kind, uid: 1000, gid: 1000, mode: 0o755, exec: false, sizeBytes: 64 * 1024 * 1024, covers: [], coversCount: 0, observedBytes: 0, reasons: [], hides: [], ...over,
});

describe('hardeningOf', () => {
  it('gives the engine what the printed line gives docker: the same tmpfs options, volumes of its own', () => {
    const h = hardeningOf([mount('/run/app', 'tmpfs'), mount('/opt/hooks', 'tmpfs', { exec: true }), mount('/var/lib/app', 'volume', { volumeName: 'users-volume' })], (m) => `verify-${m.path.length}`);
    expect(h.readOnlyRoot).toBe(true);
    expect(h.tmpfs).toEqual({
      '/run/app': 'rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=1000,gid=1000',
      '/opt/hooks': 'rw,exec,nosuid,nodev,size=64m,mode=0755,uid=1000,gid=1000',
    });
    // Never the user's volume name: verification must not touch their data.
    expect(h.mounts).toEqual([{ type: 'volume', source: 'verify-12', target: '/var/lib/app', readOnly: false }]);
  });
});
