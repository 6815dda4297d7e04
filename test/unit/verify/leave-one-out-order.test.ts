import { describe, expect, it } from 'vitest';
import type { Mount } from '../../../src/model/mount-plan.js';
import { leaveOneOutOrder } from '../../../src/verify/leave-one-out-order.js';

const mount = (path: string) => ({ path }) as unknown as Mount;

describe('leaveOneOutOrder', () => {
  const plan = ['/run', '/tmp', '/var/cache/app', '/var/lib/app'].map(mount);

  it('without hints, the plan order', () => {
    expect(leaveOneOutOrder(plan, []).map((m) => m.path)).toEqual(['/run', '/tmp', '/var/cache/app', '/var/lib/app']);
  });

  it('mounts at, under or above an optional or ignorable path first; persistent hints order nothing', () => {
    const order = leaveOneOutOrder(plan, [
      { path: '/var/lib/app', kind: 'persistent', reason: 'data' },
      { path: '/var/cache', kind: 'optional', reason: 'a cache' },
      { path: '/tmp/x', kind: 'ignorable', reason: 'scratch' },
    ]);
    expect(order.map((m) => m.path)).toEqual(['/tmp', '/var/cache/app', '/run', '/var/lib/app']);
  });
});
