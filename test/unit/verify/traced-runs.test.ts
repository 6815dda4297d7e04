import { describe, expect, it } from 'vitest';
import type { WriteEvent } from '../../../src/model/write-event.js';
import type { ContainerCreateSpec } from '../../../src/runtime/engine.js';
import { GATE_BUSYBOX, GATE_DIR } from '../../../src/trace/gate.js';
import { gateVolumeName, refusedWrites, withGate } from '../../../src/verify/traced-runs.js';

const spec: ContainerCreateSpec = {
  image: 'sha256:abc',
  labels: {},
  env: [],
  binds: [],
  mounts: [{ type: 'volume', source: 'data', target: '/data', readOnly: false }],
  tmpfs: { '/run/app': 'size=1m' },
  readOnlyRoot: true,
  publishLoopback: [],
  memoryBytes: 1,
  pidsLimit: 1,
};
const image = { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] } as never;

describe('withGate', () => {
  it('runs the command the writable run ran behind the gate, with the gate on a volume of its own', () => {
    const g = withGate(spec, image, { command: [] } as never, 'gate-vol');
    expect(g.entrypoint?.[0]).toBe(GATE_BUSYBOX);
    expect(g.cmd).toEqual(['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
    expect(g.mounts).toEqual([...spec.mounts, { type: 'volume', source: 'gate-vol', target: GATE_DIR, readOnly: false, noCopy: true }]);
    // The hardening is untouched: the root stays read-only, the tmpfs mounts as planned.
    expect(g.readOnlyRoot).toBe(true);
    expect(g.tmpfs).toEqual(spec.tmpfs);
  });

  it('takes the run\'s --entrypoint and command, as every format carries them', () => {
    expect(withGate(spec, image, { entrypoint: '/bin/sh', command: ['-c', 'exit 0'] } as never, 'v').cmd).toEqual(['/bin/sh', '-c', 'exit 0']);
  });
});

describe('gateVolumeName', () => {
  it('is verification\'s own, distinct per run', () => {
    const ctx = { labels: { 'io.ro-profile.session': 's', 'io.ro-profile.pid': '1' } };
    expect(gateVolumeName(ctx, 'r1')).toMatch(/^ro-profile-verify-r1-[0-9a-f]{10}$/);
    expect(gateVolumeName(ctx, 'r1')).not.toBe(gateVolumeName(ctx, 'r2'));
  });
});

describe('refusedWrites', () => {
  const e = (op: WriteEvent['op'], realPath: string, errno?: string): WriteEvent => ({ path: realPath, realPath, op, source: 'strace', ...(errno ? { errno } : {}) });
  it('keeps what the kernel refused: failed writes, refused execs, write checks answered read-only', () => {
    const events = [e('add', '/run/app/app.pid'), e('failed-write', '/var/log/app.log', 'EROFS'), e('exec', '/tmp/hook.sh', 'EACCES'), e('modify', '/srv/uploads', 'EROFS')];
    expect(refusedWrites(events).map((x) => x.realPath)).toEqual(['/var/log/app.log', '/tmp/hook.sh', '/srv/uploads']);
  });
  it('leaves the gate\'s own directory out', () => {
    expect(refusedWrites([e('failed-write', `${GATE_DIR}/go.x`, 'EACCES'), e('failed-write', GATE_DIR, 'EROFS')])).toEqual([]);
  });
});
