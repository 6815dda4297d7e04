import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { applyJsonPatch, jsonPatchOf, pointerSegment } from '../../../src/emit/json-patch.js';
import { strategicMerge } from '../../helpers/strategic-merge.js';

describe('pointerSegment', () => {
  it.each([
    ['plain', 'plain'],
    ['a/b', 'a~1b'],
    ['a~b', 'a~0b'],
    ['~/', '~0~1'],
    [3, '3'],
  ])('%s → %s', (s, out) => expect(pointerSegment(s)).toBe(out));
});

describe('jsonPatchOf', () => {
  const cases: [string, object, object][] = [
    ['a key the original lacks is added whole', { a: 1 }, { b: { c: 2 } }],
    ['a map merges key by key', { sc: { x: 1, caps: { drop: ['A'], add: ['B'] } } }, { sc: { y: 2, caps: { drop: ['ALL'] } } }],
    ['a merge-keyed list merges by key and appends the rest', { volumes: [{ name: 'a', emptyDir: {} }] }, { volumes: [{ name: 'b', emptyDir: {} }, { name: 'a', emptyDir: { sizeLimit: '1Mi' } }] }],
    ['a list without a merge key is replaced', { args: ['x', 'y'] }, { args: ['z'] }],
    ['keys with / and ~ are escaped', { annotations: { 'example.com/a~b': 'x' } }, { annotations: { 'example.com/a~b': 'y', 'k/new': 'z' } }],
  ];
  it.each(cases)('%s, as the strategic merge does', (_, original, patch) => {
    const ops = jsonPatchOf(original, patch);
    const merged = strategicMerge(original, patch);
    expect(jsonpatch.applyPatch(structuredClone(original), ops as jsonpatch.Operation[], true, false).newDocument).toEqual(merged);
    // Verification's own applier gives the same, and leaves the original alone.
    const before = structuredClone(original);
    expect(applyJsonPatch(original, ops)).toEqual(merged);
    expect(original).toEqual(before);
  });

  it('appends with /- and escapes paths', () => {
    expect(jsonPatchOf({ a: { volumes: [] } }, { a: { volumes: [{ name: 'v' }] } })).toEqual([{ op: 'add', path: '/a/volumes/-', value: { name: 'v' } }]);
    expect(jsonPatchOf({ 'x/y': { z: 1 } }, { 'x/y': { z: 2 } }, '/root')).toEqual([{ op: 'replace', path: '/root/x~1y/z', value: 2 }]);
  });
});
