import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The repository's src/, the root every path of the graph is relative to. */
export const SRC = resolve(import.meta.dirname, '../../src');

// An import or re-export that loads its module when this one loads: `import type` and `export type`
// do not (erased), `await import()` does not until it runs. `import { type A }` still does: under
// verbatimModuleSyntax it stays as `import {} from`.
const STATIC = /^[ \t]*(?:import|export)[ \t]+(type[ \t]+)?(?:[^'";]*?[ \t\n]from[ \t]*)?['"]([^'"]+)['"]/gm;

export interface ImportGraph {
  /** src-relative file → what it loads: src-relative files, or bare package names. */
  readonly edges: ReadonlyMap<string, readonly string[]>;
}

/** Every .ts file under src/, src-relative. */
export function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [relative(SRC, p)] : [];
  });
}

/** The static imports of one source file's text, as written: those that load a module, or with `types` the type-only ones too. */
export function staticSpecifiers(text: string, o: { readonly types?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(STATIC)) if ((o.types || !m[1]) && m[2]) out.push(m[2]);
  return out;
}

/** A specifier as a graph node: a src-relative .ts file for a relative import, the package name for a bare one, undefined for node: builtins. */
function nodeOf(from: string, spec: string): string | undefined {
  if (spec.startsWith('node:')) return undefined;
  if (!spec.startsWith('.')) return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  const ts = resolve(SRC, dirname(from), spec.replace(/\.js$/, '.ts'));
  return existsSync(ts) ? relative(SRC, ts) : relative(SRC, resolve(SRC, dirname(from), spec));
}

/** Who imports whom in src/: what loads at run time, or with `types` every dependency a reader follows. */
export function importGraph(o: { readonly types?: boolean } = {}): ImportGraph {
  const edges = new Map<string, string[]>();
  for (const f of sourceFiles()) {
    const specs = staticSpecifiers(readFileSync(join(SRC, f), 'utf8'), o);
    edges.set(f, [...new Set(specs.map((s) => nodeOf(f, s)).filter((n): n is string => n !== undefined))]);
  }
  return { edges };
}

/** Everything `root` loads, directly or not, each with one chain of imports that leads to it. */
export function reachable(g: ImportGraph, root: string): Map<string, string[]> {
  const chains = new Map<string, string[]>([[root, [root]]]);
  const queue = [root];
  for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
    for (const next of g.edges.get(n) ?? []) {
      if (chains.has(next)) continue;
      chains.set(next, [...chains.get(n)!, next]);
      queue.push(next);
    }
  }
  return chains;
}

/** The import cycles among src/ files, each as the chain of files that closes it (one per strongly connected set). */
export function importCycles(g: ImportGraph): string[][] {
  // Tarjan's strongly connected components: any component of more than one file (or a file importing itself) is a cycle.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.edges.get(v) ?? []) {
      if (!g.edges.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) !== idx.get(v)) return;
    const comp: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      comp.push(w);
      if (w === v) break;
    }
    if (comp.length > 1 || (g.edges.get(v) ?? []).includes(v)) cycles.push(comp.sort());
  };
  for (const v of [...g.edges.keys()].sort()) if (!idx.has(v)) visit(v);
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}
