import { describe, expect, it } from 'vitest';
import { ancestorsOf, groupDirOf, isProgramPath, isSystemPath } from '../../../src/drift/drift-paths.js';

describe('isProgramPath', () => {
  it.each([
    ['/usr/bin/env', true],
    ['/usr/sbin/nginx', true],
    ['/bin/sh', true],
    ['/sbin/init', true],
    ['/usr/local/bin/app', true],
    ['/usr/lib/x86_64-linux-gnu/libssl.so.3', true],
    ['/lib/ld-musl-x86_64.so.1', true],
    ['/usr/lib/python3/dist-packages/x.py', true],
    ['/usr/local/lib/node_modules/x/index.js', true],
    ['/usr/libexec/git-core/git', true],
    ['/opt/app/bin/server', true],
    ['/opt/app/lib/plugin.jar', true],
    ['/home/app/.local/bin/tool', true],
    ['/srv/app/plugins/mod_x.so', true],
    ['/srv/app/lib/data.json', false],
    ['/var/lib/app/state', false],
    ['/usr/bin', false],
    ['/usr/share/doc/x', false],
    ['/etc/binfmt.d/x', false],
    ['/srv/my bin/x', false],
    ['/srv/bin x/y', false],
    ['/srv/app/node_modules/.bin/tsc', false],
  ])('%s is a program or library: %s', (path, expected) => {
    expect(isProgramPath(path)).toBe(expected);
  });
});

describe('isSystemPath', () => {
  it.each([
    ['/etc/passwd', true],
    ['/etc', true],
    ['/usr/share/x', true],
    ['/lib64/x', true],
    ['/var/lib/dpkg/status', true],
    ['/etcetera/x', false],
    ['/var/lib/app/x', false],
    ['/srv/usr/x', false],
    ['/run/x', false],
  ])('%s is in a system tree: %s', (path, expected) => {
    expect(isSystemPath(path)).toBe(expected);
  });
});

describe('ancestorsOf and groupDirOf', () => {
  it('splits on slashes only: spaces and Unicode stay in their names', () => {
    expect(ancestorsOf('/srv/a dir/ü/f g')).toEqual(['/srv', '/srv/a dir', '/srv/a dir/ü']);
    expect(ancestorsOf('/x')).toEqual([]);
    expect(groupDirOf('/srv/a dir/ü/f g')).toBe('/srv/a dir');
  });

  it.each([
    ['/usr/lib/x/y/z', '/usr/lib'],
    ['/usr/bin/x', '/usr/bin'],
    ['/etc/x', '/etc'],
    ['/x', '/'],
  ])('groups %s under %s', (path, dir) => {
    expect(groupDirOf(path)).toBe(dir);
  });
});
