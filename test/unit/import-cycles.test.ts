import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from './../helpers/import-graph.js';

// A cycle makes load order matter (a value read before its module ran is undefined) and makes two
// files one unit that cannot be read, tested or moved apart. Type-only imports count too: they do
// not load anything, but a reader follows them all the same (issue 19 removed such a cycle between
// analyze/mount-for.ts and analyze/plan-mounts.ts). The fix is the shared piece in a module of its own.
describe('src/', () => {
  it('has no import cycle, type-only imports included', () => {
    expect(importCycles(importGraph({ types: true })).map((c) => c.join(' <-> '))).toEqual([]);
  });
});
