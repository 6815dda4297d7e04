import { describe, expect, it, vi } from 'vitest';
import { sweepLeftovers } from '../../../src/cli/sweep.js';
import type { Engine, ManagedObject } from '../../../src/runtime/engine.js';

const obj = (kind: ManagedObject['kind'], id: string): ManagedObject => ({ kind, id, name: kind === 'volume' ? `vol-${id}` : '', labels: {}, createdAt: new Date(0) });

describe('sweepLeftovers', () => {
  it("asks for exactly this process's session and pid, removes containers before networks and volumes, and says so", async () => {
    const removed: string[] = [];
    const listManaged = vi.fn(async () => [obj('volume', 'v1'), obj('container', 'c1'), obj('network', 'n1')]);
    const engine = {
      listManaged,
      removeContainer: async (id: string) => void removed.push(`container ${id}`),
      removeNetwork: async (id: string) => void removed.push(`network ${id}`),
      removeVolume: async (name: string) => void removed.push(`volume ${name}`),
    } as unknown as Engine;
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await sweepLeftovers(engine, { sessionId: 's-1', pid: 42, host: 'h' });
    expect(listManaged).toHaveBeenCalledWith(['io.ro-profile.session=s-1', 'io.ro-profile.pid=42']);
    expect(removed).toEqual(['container c1', 'network n1', 'volume vol-v1']);
    expect(String(err.mock.calls[0]?.[0])).toContain('removed 3 object(s) the run had left behind');
  });

  it('is silent when nothing was left, and when the engine cannot be asked', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await sweepLeftovers({ listManaged: async () => [] } as unknown as Engine, { sessionId: 's', pid: 1, host: 'h' });
    await sweepLeftovers({ listManaged: async () => Promise.reject(new Error('gone')) } as unknown as Engine, { sessionId: 's', pid: 1, host: 'h' });
    expect(err).not.toHaveBeenCalled();
  });
});
