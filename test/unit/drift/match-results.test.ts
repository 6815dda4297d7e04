import { describe, expect, it } from 'vitest';
import { matchResult, normalizeImageRef, type LoadedResult } from '../../../src/drift/match-results.js';
import type { Result } from '../../../src/model/result.js';
import { sampleResult } from '../../helpers/sample-result.js';

describe('normalizeImageRef', () => {
  it.each([
    ['nginx', 'nginx:latest'],
    ['docker.io/library/nginx', 'nginx:latest'],
    ['docker.io/library/nginx:1.27', 'nginx:1.27'],
    ['library/nginx:1', 'nginx:1'],
    ['docker.io/bitnami/redis', 'bitnami/redis:latest'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['localhost:5000/app:2', 'localhost:5000/app:2'],
    ['app@sha256:abc', 'app@sha256:abc'],
  ])('%s is %s', (ref, normal) => {
    expect(normalizeImageRef(ref)).toBe(normal);
  });
});

function loaded(file: string, ref: string, id: string): LoadedResult {
  const r = sampleResult();
  const result: Result = { ...r, image: { ...r.image, ref, id }, run: { ...r.run, image: ref } };
  return { file, result };
}

describe('matchResult', () => {
  const results = [loaded('a.json', 'example/app:1', 'sha256:aaa'), loaded('b.json', 'docker.io/example/app:1', 'sha256:bbb'), loaded('c.json', 'other:2', 'sha256:ccc')];

  it('the same image id first', () => {
    expect(matchResult({ image: 'example/app:1', imageId: 'sha256:bbb' }, results)).toMatchObject({ match: { file: 'b.json' }, by: 'id', of: 1 });
  });

  it('then the reference, however it is spelt, the first by file name, saying how many matched', () => {
    expect(matchResult({ image: 'docker.io/example/app:1', imageId: 'sha256:new' }, results)).toMatchObject({ match: { file: 'a.json' }, by: 'reference', of: 2 });
  });

  it('a container created by image id matches by id only', () => {
    expect(matchResult({ image: 'sha256:ddd', imageId: 'sha256:ddd' }, results)).toBeUndefined();
    expect(matchResult({ image: 'ddd1', imageId: 'sha256:ddd1ff' }, results)).toBeUndefined();
  });

  it('no match', () => {
    expect(matchResult({ image: 'nginx', imageId: 'sha256:eee' }, results)).toBeUndefined();
  });
});
