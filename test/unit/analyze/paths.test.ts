import { describe, expect, it } from 'vitest';
import { compareStrings, isSystemTree, isUnder, parentOf, resolveLinks } from '../../../src/analyze/paths.js';

describe('resolveLinks', () => {
  const links = [
    { path: '/var/run', target: '/run' },
    { path: '/srv/current', target: '/srv/releases/v2' },
    { path: '/srv/releases/v2', target: '/opt/app' },
    { path: '/loop/a', target: '/loop/b' },
    { path: '/loop/b', target: '/loop/a' },
  ];
  it.each([
    ['/var/run/app', '/run/app'],
    ['/var/run', '/run'],
    ['/var/runner', '/var/runner'],
    ['/srv/current/data', '/opt/app/data'],
    ['/data', '/data'],
  ])('%s is %s in the image', (path, real) => {
    expect(resolveLinks(path, links)).toBe(real);
  });
  it('stops after 40 hops on a loop, as the kernel does', () => {
    expect(['/loop/a/x', '/loop/b/x']).toContain(resolveLinks('/loop/a/x', links));
  });
  it('is the path itself with no links', () => {
    expect(resolveLinks('/var/run/app', [])).toBe('/var/run/app');
  });
});

describe('parentOf', () => {
  it.each([
    ['/var/log/nginx', '/var/log'],
    ['/var', '/'],
    ['/', '/'],
    ['/a/b/', '/a/b'],
  ])('gives the parent of %s as %s', (path, parent) => {
    expect(parentOf(path)).toBe(parent);
  });
});

describe('isUnder', () => {
  it.each([
    ['/var/log/nginx/access.log', '/var/log/nginx', true],
    ['/var/log/nginx', '/var/log/nginx', true],
    ['/var/log/nginx-extra', '/var/log/nginx', false],
    ['/var', '/var/log', false],
    ['/anything', '/', true],
  ])('says %s under %s is %s', (path, dir, expected) => {
    expect(isUnder(path, dir)).toBe(expected);
  });
});

describe('compareStrings', () => {
  it('orders by code unit, not by locale', () => {
    expect(['/var/log', '/Var', '/var', '/var-x', '/var/'].sort(compareStrings)).toEqual(['/Var', '/var', '/var-x', '/var/', '/var/log']);
  });
});

describe('isSystemTree', () => {
  it.each([
    ['/', true],
    ['/var', true],
    ['/usr', true],
    ['/etc', true],
    ['/var/log', false],
    ['/run', false],
    ['/tmp', false],
    ['/usr/local', false],
  ])('says %s is a system tree: %s', (path, expected) => {
    expect(isSystemTree(path)).toBe(expected);
  });
});
