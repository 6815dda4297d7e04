import { describe, expect, it } from 'vitest';
import { compareStrings, isSystemTree, isUnder, parentOf } from '../../../src/analyze/paths.js';

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
