import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ManagedObject } from '../../../src/runtime/engine.js';
import { LABEL_HOST, LABEL_PID } from '../../../src/runtime/labels.js';
import { ownerAlive } from '../../../src/runtime/owner.js';

function obj(labels: Record<string, string>): ManagedObject {
  return { kind: 'container', id: 'c', name: 'c', labels, createdAt: new Date(0) };
}

describe('ownerAlive', () => {
  it('counts an object from another host as alive: its pid means nothing here', () => {
    expect(ownerAlive(obj({ [LABEL_HOST]: 'elsewhere', [LABEL_PID]: '1' }), 'here')).toBe(true);
  });

  it('counts a pid that no longer runs as dead', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await new Promise((r) => child.on('exit', r));
    expect(ownerAlive(obj({ [LABEL_HOST]: 'here', [LABEL_PID]: String(pid) }), 'here')).toBe(false);
  });

  it('counts a live pid that is not an ro-profile process as dead (a reused pid)', () => {
    expect(ownerAlive(obj({ [LABEL_HOST]: 'here', [LABEL_PID]: String(process.pid) }), 'here')).toBe(/ro-profile|cli\/main\.js/.test(process.argv.join(' ')));
  });

  it('counts a live ro-profile process as alive', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)', 'ro-profile'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 100));
      expect(ownerAlive(obj({ [LABEL_HOST]: 'here', [LABEL_PID]: String(child.pid) }), 'here')).toBe(true);
    } finally {
      child.kill();
    }
  });

  it('counts missing or bad pid labels as dead', () => {
    expect(ownerAlive(obj({ [LABEL_HOST]: 'here' }), 'here')).toBe(false);
    expect(ownerAlive(obj({ [LABEL_HOST]: 'here', [LABEL_PID]: 'x' }), 'here')).toBe(false);
  });
});
