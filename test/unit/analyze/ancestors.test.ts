import { describe, expect, it } from 'vitest';
import { ancestorsWithChild } from '../../../src/analyze/ancestors.js';

describe('ancestorsWithChild', () => {
  it.each<[string, string[], string[]]>([
    ['nothing', [], []],
    ['a top-level path has none but /', ['/tmp'], []],
    ['every ancestor of a deep path', ['/srv/app/cache/ab/x.bin'], ['/srv', '/srv/app', '/srv/app/cache', '/srv/app/cache/ab']],
    ['siblings once', ['/srv/a/1', '/srv/a/2', '/srv/a/3'], ['/srv', '/srv/a']],
    // Byte order puts "/srv/a-b" between "/srv/a" and "/srv/a/x": the parent changes and comes back.
    ['a parent that comes back after a sibling', ['/srv/a', '/srv/a-b/c', '/srv/a/x'], ['/srv', '/srv/a', '/srv/a-b']],
    ['paths out of order', ['/var/log/x', '/srv/q/1', '/var/log/y'], ['/srv', '/srv/q', '/var', '/var/log']],
  ])('%s', (_name, paths, expected) => {
    expect([...ancestorsWithChild(paths, (p) => p)].sort()).toEqual(expected);
  });

  it('gives the same set as walking up from every path', () => {
    const paths = ['/a/b/c/d', '/a/b/c/e', '/a/b/f', '/a/g', '/h/i', '/a/b/c/d/j'].sort();
    const walked = new Set<string>();
    for (const p of paths) for (let a = p.slice(0, p.lastIndexOf('/')); a !== ''; a = a.slice(0, a.lastIndexOf('/'))) walked.add(a);
    expect(ancestorsWithChild(paths, (p) => p)).toEqual(walked);
  });
});
