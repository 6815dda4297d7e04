import { describe, expect, it } from 'vitest';
import type { Mount } from '../../../src/model/mount-plan.js';
import type { Difference } from '../../../src/model/result.js';
import { repairEvents } from '../../../src/verify/verify.js';

const tmpfs = (path: string, exec = false): Mount => ({ path, kind: 'tmpfs', uid: 0, gid: 0, mode: 0o755, exec, sizeBytes: 1, covers: [], coversCount: 0, observedBytes: 0, reasons: [], hides: [] });
const log = (...lines: string[]): Difference => ({ kind: 'log', message: 'new lines', lines });

describe('repairEvents', () => {
  it('turns a path that could not be written into a failed write the analysis has not seen', () => {
    const e = repairEvents([log("/app/start.sh: line 6: can't create /var/log/open-log/app.log: Read-only file system")], []);
    expect(e).toEqual([{ path: '/var/log/open-log/app.log', realPath: '/var/log/open-log/app.log', op: 'failed-write', source: 'verify-log', errno: 'EROFS' }]);
  });

  it('turns "Permission denied" on a file under a noexec tmpfs into an execution, so the mount gets exec', () => {
    // busybox sh, running a hook the app wrote into its noexec tmpfs.
    const e = repairEvents([log('/app/start.sh: line 10: /opt/hooks/on-start.sh: Permission denied')], [], [tmpfs('/opt/hooks')]);
    expect(e).toEqual([{ path: '/opt/hooks/on-start.sh', realPath: '/opt/hooks/on-start.sh', op: 'exec', source: 'verify-log', errno: 'EACCES' }]);
  });

  it('adds nothing it already knows, so a repair that changes nothing ends the loop', () => {
    const known = repairEvents([log('open /data/x: read-only file system')], []);
    expect(repairEvents([log('open /data/x: read-only file system')], known)).toEqual([]);
  });

  it('adds what a traced run was refused, unless the writable run was refused it too', () => {
    const refused = [
      { path: '/srv/uploads', realPath: '/srv/uploads', op: 'modify', source: 'strace', errno: 'EROFS' },
      { path: '/etc/shadow', realPath: '/etc/shadow', op: 'failed-write', source: 'strace', errno: 'EACCES', type: 'file' },
    ] as const;
    const known = [{ path: '/etc/shadow', realPath: '/etc/shadow', op: 'failed-write', source: 'strace', errno: 'EACCES', type: 'file' }] as const;
    expect(repairEvents([{ kind: 'state', message: 'it never became ready' }], known, [], refused)).toEqual([refused[0]]);
    // Named by a log line and traced: once.
    expect(repairEvents([log("can't create /data/x: Read-only file system")], [], [], [{ path: '/data/x', realPath: '/data/x', op: 'failed-write', source: 'strace', errno: 'EROFS' }])).toHaveLength(1);
  });

  it('names nothing for a line without a path', () => {
    expect(repairEvents([log('sqlite3: unable to open database file')], [])).toEqual([]);
  });
});
