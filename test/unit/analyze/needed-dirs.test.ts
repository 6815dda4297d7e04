import { describe, expect, it } from 'vitest';
import { indexEvents, neededDir } from '../../../src/analyze/needed-dirs.js';
import type { WriteEvent } from '../../../src/model/write-event.js';
import { sampleEvent as ev } from '../../helpers/samples.js';

describe('indexEvents', () => {
  it('knows what was created, what was created and removed, and which paths are directories', () => {
    const ix = indexEvents([
      ev('add', '/run/apache2', { type: 'dir' }),
      ev('add', '/run/apache2/apache2.pid', { type: 'file' }),
      ev('delete', '/run/apache2/apache2.pid', { type: 'file' }),
      ev('modify', '/var/log/apache2/error.log', { type: 'file' }),
      ev('delete', '/srv/old', { type: 'file' }),
    ]);
    expect([...ix.added].sort()).toEqual(['/run/apache2', '/run/apache2/apache2.pid']);
    expect([...ix.transient]).toEqual(['/run/apache2/apache2.pid']);
    expect([...ix.dirs]).toEqual(['/run/apache2']);
    expect([...ix.hasChild].sort()).toEqual(['/run', '/run/apache2', '/srv', '/var', '/var/log', '/var/log/apache2']);
  });
});

describe('neededDir', () => {
  it.each<[string, WriteEvent, WriteEvent[], string | undefined]>([
    ['a file created in a shipped directory needs that directory', ev('add', '/run/app/app.pid', { type: 'file' }), [], '/run/app'],
    ['a directory the app created and kept is its own mount point', ev('add', '/run/apache2', { type: 'dir' }), [], '/run/apache2'],
    ['a created path with something created below it is a kept directory', ev('add', '/run/apache2'), [ev('add', '/run/apache2/socks', { type: 'dir' })], '/run/apache2'],
    ['a file created in a created directory needs the topmost created directory', ev('add', '/run/apache2/apache2.pid', { type: 'file' }), [ev('add', '/run/apache2', { type: 'dir' })], '/run/apache2'],
    [
      'a tree of created directories needs its topmost directory',
      ev('add', '/data/a/b/c.txt', { type: 'file' }),
      [ev('add', '/data/a', { type: 'dir' }), ev('add', '/data/a/b', { type: 'dir' })],
      '/data/a',
    ],
    ['a created file of unknown type needs its parent', ev('add', '/srv/cache/x'), [], '/srv/cache'],
    ['a file created and removed needs its parent', ev('delete', '/run/nginx.pid', { type: 'file' }), [ev('add', '/run/nginx.pid', { type: 'file' })], '/run'],
    [
      'a directory created and removed needs the parent of the topmost created path',
      ev('add', '/tmp/build.1/out', { type: 'file' }),
      [ev('add', '/tmp/build.1', { type: 'dir' }), ev('delete', '/tmp/build.1', { type: 'dir' }), ev('delete', '/tmp/build.1/out', { type: 'file' })],
      '/tmp',
    ],
    ['a modified file needs its directory', ev('modify', '/var/log/nginx/access.log', { type: 'file' }), [], '/var/log/nginx'],
    ['a deleted shipped file needs its directory', ev('delete', '/srv/cache/old', { type: 'file' }), [], '/srv/cache'],
    ['a deleted shipped directory needs its parent', ev('delete', '/srv/cache', { type: 'dir' }), [], '/srv'],
    ['a modified directory with nothing changed below needs itself', ev('modify', '/var/cache/app', { type: 'dir' }), [], '/var/cache/app'],
    ['a modified directory with a changed child needs nothing of its own (the child says where)', ev('modify', '/var/cache/app', { type: 'dir' }), [ev('add', '/var/cache/app/index', { type: 'file' })], undefined],
    ['a traced temp file that came and went needs /tmp, and the diff\'s change of /tmp adds nothing', ev('modify', '/tmp', { type: 'dir' }), [ev('add', '/tmp/sort1.tmp', { type: 'file', source: 'strace' }), ev('delete', '/tmp/sort1.tmp', { type: 'file', source: 'strace' })], undefined],
    ['the temp file itself then needs /tmp', ev('add', '/tmp/sort1.tmp', { type: 'file', source: 'strace' }), [ev('modify', '/tmp', { type: 'dir' }), ev('delete', '/tmp/sort1.tmp', { type: 'file', source: 'strace' })], '/tmp'],
    ['a file a tracer saw opened for writing needs its directory', ev('open-write', '/var/log/nginx/error.log', { type: 'file', source: 'strace' }), [], '/var/log/nginx'],
    ['a traced write below a created directory needs that directory', ev('failed-write', '/run/apache2/x.sock', { source: 'strace' }), [ev('add', '/run/apache2', { type: 'dir' })], '/run/apache2'],
    ['a directory created at the root is its own mount point', ev('add', '/opt', { type: 'dir' }), [], '/opt'],
    ['a file created at the root needs the root', ev('add', '/app.lock', { type: 'file' }), [], '/'],
    ['a file created straight in a system tree needs that tree', ev('add', '/etc/app.conf', { type: 'file' }), [], '/etc'],
  ])('knows that %s', (_name, event, others, expected) => {
    expect(neededDir(event, indexEvents([event, ...others]))).toBe(expected);
  });
});
