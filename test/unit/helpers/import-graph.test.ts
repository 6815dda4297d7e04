import { describe, expect, it } from 'vitest';
import { importCycles, staticSpecifiers, type ImportGraph } from '../../helpers/import-graph.js';

describe('staticSpecifiers', () => {
  it.each([
    ["import { a } from './a.js';", ['./a.js']],
    ["import Docker from 'dockerode';", ['dockerode']],
    ["import * as s from './s.js';", ['./s.js']],
    ["import './side-effect.js';", ['./side-effect.js']],
    ["export { A } from './a.js';", ['./a.js']],
    ["export * from './a.js';", ['./a.js']],
    ["import type { A } from './a.js';", []],
    ["export type { A } from './a.js';", []],
    // verbatimModuleSyntax keeps it as `import {} from`, which loads the module.
    ["import { type A } from './a.js';", ['./a.js']],
    ["const { run } = await import('./heavy.js');", []],
    ["  // import { a } from './commented.js' is still a line that starts with import", []],
  ])('%s', (text, expected) => {
    expect(staticSpecifiers(text)).toEqual(expected);
  });

  it('reads an import that spans lines', () => {
    expect(staticSpecifiers("import {\n  a,\n  b,\n} from './ab.js';\nimport type {\n  C,\n} from './c.js';")).toEqual(['./ab.js']);
  });

  it('with types, reads the type-only imports too', () => {
    expect(staticSpecifiers("import type { A } from './a.js';\nexport type { B } from './b.js';", { types: true })).toEqual(['./a.js', './b.js']);
  });
});

describe('importCycles', () => {
  const graph = (edges: Record<string, string[]>): ImportGraph => ({ edges: new Map(Object.entries(edges)) });

  it('finds a two-file cycle and a longer one, each once', () => {
    const cycles = importCycles(graph({ 'a.ts': ['b.ts'], 'b.ts': ['a.ts', 'c.ts'], 'c.ts': ['d.ts'], 'd.ts': ['e.ts'], 'e.ts': ['c.ts', 'yaml'] }));
    expect(cycles).toEqual([['a.ts', 'b.ts'], ['c.ts', 'd.ts', 'e.ts']]);
  });

  it('finds none in a tree that shares a leaf', () => {
    expect(importCycles(graph({ 'a.ts': ['b.ts', 'c.ts'], 'b.ts': ['c.ts'], 'c.ts': [] }))).toEqual([]);
  });

  it('finds a file that imports itself', () => {
    expect(importCycles(graph({ 'a.ts': ['a.ts'] }))).toEqual([['a.ts']]);
  });
});
