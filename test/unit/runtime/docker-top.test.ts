import { describe, expect, it } from 'vitest';
import { mapTop, TOP_PS_ARGS } from '../../../src/runtime/docker-top.js';

describe('mapTop', () => {
  it('maps the answer to `ps -eo pid,uid,gid,args`, sorted by pid', () => {
    const raw = {
      Titles: ['PID', 'UID', 'GID', 'COMMAND'],
      Processes: [
        ['4312', '101', '101', 'nginx: worker process'],
        ['4287', '0', '0', 'nginx: master process nginx -g daemon off;'],
        ['4313', '101', '101', 'nginx: worker process'],
      ],
    };
    expect(mapTop(raw)).toEqual([
      { pid: 4287, uid: 0, gid: 0, command: 'nginx: master process nginx -g daemon off;' },
      { pid: 4312, uid: 101, gid: 101, command: 'nginx: worker process' },
      { pid: 4313, uid: 101, gid: 101, command: 'nginx: worker process' },
    ]);
  });

  it('sorts by pid as a number, not as text', () => {
    const raw = { Titles: ['PID', 'UID', 'GID', 'COMMAND'], Processes: [['100', '0', '0', 'b'], ['99', '0', '0', 'a'], ['1000', '0', '0', 'c']] };
    expect(mapTop(raw).map((p) => p.pid)).toEqual([99, 100, 1000]);
  });

  it('drops the rows whose ids are not numbers (a name ps printed)', () => {
    const raw = {
      Titles: ['PID', 'UID', 'GID', 'COMMAND'],
      Processes: [['10', 'root', '0', 'sh'], ['11', '1000', 'staff', 'sh'], ['x', '0', '0', 'sh'], ['12', '1000', '1000', 'app'], ['13', '1.5', '0', 'sh'], 'not a row', null],
    };
    expect(mapTop(raw)).toEqual([{ pid: 12, uid: 1000, gid: 1000, command: 'app' }]);
  });

  it('finds the columns by title, in any order and case, and takes ARGS or CMD as the command', () => {
    expect(mapTop({ Titles: ['uid', 'Gid', 'ARGS', 'pid'], Processes: [['33', '34', '/usr/sbin/apache2 -k start', '7']] })).toEqual([{ pid: 7, uid: 33, gid: 34, command: '/usr/sbin/apache2 -k start' }]);
    expect(mapTop({ Titles: ['PID', 'UID', 'GID', 'CMD'], Processes: [['7', '0', '0', 'init']] })[0]?.command).toBe('init');
  });

  it('gives an empty command when there is no command column', () => {
    expect(mapTop({ Titles: ['PID', 'UID', 'GID'], Processes: [['7', '0', '0']] })).toEqual([{ pid: 7, uid: 0, gid: 0, command: '' }]);
  });

  it('is empty when an id column is missing (the engine\'s own default ps columns)', () => {
    const dockerDefault = { Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'], Processes: [['root', '4287', '4265', '0', '10:01', '?', '00:00:00', 'nginx']] };
    expect(mapTop(dockerDefault)).toEqual([]);
  });

  it('is empty for an answer of another shape', () => {
    for (const raw of [undefined, null, 'text', {}, { Titles: ['PID', 'UID', 'GID'] }, { Titles: 'PID UID GID', Processes: [] }, { Titles: ['PID', 'UID', 'GID'], Processes: {} }]) {
      expect(mapTop(raw)).toEqual([]);
    }
  });

  it('asks ps for the columns it reads', () => {
    expect(TOP_PS_ARGS).toMatch(/pid,uid,gid,args$/);
  });
});
