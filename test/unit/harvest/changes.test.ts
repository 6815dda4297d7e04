import { describe, expect, it } from 'vitest';
import { isNoisePath, isUnder, mergeDiffs, parentOf } from '../../../src/harvest/changes.js';
import type { FsChange } from '../../../src/model/write-event.js';
import { readDiff } from '../../helpers/scenarios.js';

const added = (path: string): FsChange => ({ kind: 'added', path });
const modified = (path: string): FsChange => ({ kind: 'modified', path });
const deleted = (path: string): FsChange => ({ kind: 'deleted', path });

describe('isNoisePath', () => {
  it.each([
    ['/etc/hosts', true],
    ['/etc/hostname', true],
    ['/etc/resolv.conf', true],
    ['/.dockerenv', true],
    ['/etc/mtab', true],
    ['/proc', true],
    ['/proc/1/status', true],
    ['/sys/fs/cgroup', true],
    ['/dev/shm/sem.x', true],
    ['/etc/passwd', false],
    ['/devices', false],
    ['/run/nginx.pid', false],
    ['/var/log/nginx/access.log', false],
  ])('says %s is noise: %s', (path, expected) => {
    expect(isNoisePath(path)).toBe(expected);
  });
});

describe('isUnder and parentOf', () => {
  it.each([
    ['/run/app/app.pid', '/run/app', true],
    ['/run/app', '/run/app', true],
    ['/run/apple', '/run/app', false],
    ['/x', '/', true],
  ])('says %s under %s is %s', (path, dir, expected) => {
    expect(isUnder(path, dir)).toBe(expected);
  });

  it.each([
    ['/run/app/app.pid', '/run/app'],
    ['/run', '/'],
    ['/', '/'],
  ])('gives %s the parent %s', (path, parent) => {
    expect(parentOf(path)).toBe(parent);
  });
});

describe('mergeDiffs', () => {
  it('keeps the nginx pid file, gone after stop, as a transient addition', () => {
    const merged = mergeDiffs(readDiff('nginx-running'), readDiff('nginx-stopped'));
    expect(merged.map((m) => m.change.path)).toEqual([
      '/run',
      '/run/nginx.pid',
      '/var',
      '/var/lib',
      '/var/lib/nginx',
      '/var/lib/nginx/body',
      '/var/lib/nginx/fastcgi',
      '/var/lib/nginx/proxy',
      '/var/lib/nginx/scgi',
      '/var/lib/nginx/uwsgi',
      '/var/log',
      '/var/log/nginx',
      '/var/log/nginx/access.log',
    ]);
    expect(merged.filter((m) => m.transient)).toEqual([{ change: added('/run/nginx.pid'), transient: true }]);
  });

  it('finds nothing transient when the diff did not change at stop', () => {
    const diff = readDiff('busybox-app');
    expect(mergeDiffs(diff, diff)).toEqual(diff.map((change) => ({ change, transient: false })));
  });

  it('keeps a write that only shows after stop', () => {
    expect(mergeDiffs([], readDiff('redis-stopped')).map((m) => [m.change.kind, m.change.path, m.transient])).toEqual([
      ['modified', '/var', false],
      ['modified', '/var/lib', false],
      ['modified', '/var/lib/redis', false],
      ['added', '/var/lib/redis/dump.rdb', false],
    ]);
  });

  it.each<[string, FsChange[], FsChange[], [string, string, boolean][]]>([
    ['the state after stop wins for a path in both', [modified('/srv/x')], [deleted('/srv/x')], [['deleted', '/srv/x', false]]],
    ['a modified path gone after stop is kept, not transient', [modified('/srv/x')], [], [['modified', '/srv/x', false]]],
    ['a deleted path restored by stop is kept as deleted', [deleted('/srv/x')], [], [['deleted', '/srv/x', false]]],
  ])('knows that %s', (_name, running, stopped, expected) => {
    expect(mergeDiffs(running, stopped).map((m) => [m.change.kind, m.change.path, m.transient])).toEqual(expected);
  });
});
