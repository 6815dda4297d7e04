import { describe, expect, it } from 'vitest';
import { classifyDrift } from '../../../src/drift/classify-drift.js';
import { groupChanges } from '../../../src/drift/group-changes.js';

describe('groupChanges', () => {
  it('counts the changes of each directory (two components deep) by kind, with the drift among them', () => {
    const c = classifyDrift(
      [
        { kind: 'modified', path: '/etc' },
        { kind: 'added', path: '/etc/evil' },
        { kind: 'deleted', path: '/etc/issue' },
        { kind: 'modified', path: '/usr/lib/x86_64-linux-gnu/libz.so.1' },
        { kind: 'added', path: '/srv/a dir/ü/f g' },
        { kind: 'added', path: '/app.pid' },
      ],
      { mountPoints: [] },
    );
    expect(groupChanges(c.changes)).toEqual([
      { dir: '/', added: 1, modified: 0, deleted: 0, drift: 0, paths: ['/app.pid'] },
      { dir: '/etc', added: 1, modified: 0, deleted: 1, drift: 2, paths: ['/etc/evil', '/etc/issue'] },
      { dir: '/srv/a dir', added: 1, modified: 0, deleted: 0, drift: 0, paths: ['/srv/a dir/ü/f g'] },
      { dir: '/usr/lib', added: 0, modified: 1, deleted: 0, drift: 1, paths: ['/usr/lib/x86_64-linux-gnu/libz.so.1'] },
    ]);
  });
});
