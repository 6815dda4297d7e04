import { describe, expect, it } from 'vitest';
import { mergeFsFacts } from '../../../src/harvest/merge-fs-facts.js';
import type { DirFacts } from '../../../src/model/fs-facts.js';

const dir = (path: string, uid = 0): DirFacts => ({ path, exists: true, type: 'dir', uid, gid: 0, mode: 0o755, shipped: [] });

describe('mergeFsFacts', () => {
  it('keeps the first reading of a directory both know, adds the rest, sorted by path', () => {
    const m = mergeFsFacts(
      { dirs: [dir('/var/log', 33), dir('/run')], symlinks: [{ path: '/var/run', target: '/run' }], tools: { sh: true, cp: true } },
      { dirs: [dir('/var/log', 0), dir('/opt/hooks')], symlinks: [{ path: '/var/lock', target: '/run/lock' }, { path: '/var/run', target: '/elsewhere' }] },
    );
    expect(m.dirs.map((d) => [d.path, d.uid])).toEqual([['/opt/hooks', 0], ['/run', 0], ['/var/log', 33]]);
    expect(m.symlinks).toEqual([{ path: '/var/lock', target: '/run/lock' }, { path: '/var/run', target: '/run' }]);
    expect(m.tools).toEqual({ sh: true, cp: true });
  });
});
