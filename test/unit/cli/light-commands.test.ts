import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph, reachable, SRC } from '../../helpers/import-graph.js';

// `ro-profile --help`, `--version` and usage errors load cli/main.ts and every command module, and
// nothing else: each handler imports its implementation with `await import()` when it runs. What a
// command module loads statically is what every invocation pays for (issue 19: --help under 200 ms).
const ENTRY_POINTS = ['cli/main.ts', 'cli/parse-args.ts', ...readdirSync(join(SRC, 'cli/commands')).map((f) => `cli/commands/${f}`)];

/** The one package the flags need; dockerode, yaml, ajv, execa, the SARIF and JUnit builders, tar-stream... wait for a handler. */
const LIGHT_PACKAGES = new Set(['yargs']);

/** Source trees that stand for the work itself, never needed to parse flags or print help. */
const HEAVY_TREES = ['pipeline/', 'runtime/', 'harvest/', 'analyze/', 'strace/', 'profiles/', 'source/', 'compare/', 'drift/'];

describe('command modules', () => {
  const g = importGraph();

  it.each(ENTRY_POINTS)('%s loads only yargs and light modules', (entry) => {
    const heavy = [...reachable(g, entry)].filter(([n]) => (n.endsWith('.ts') ? HEAVY_TREES.some((t) => n.startsWith(t)) : !LIGHT_PACKAGES.has(n)));
    expect(heavy.map(([, chain]) => chain.join(' -> '))).toEqual([]);
  });

  it('leave yargs out of cli/main.ts itself, so that --version alone prints without it', () => {
    expect([...reachable(g, 'cli/main.ts').keys()].sort()).toEqual(['cli/main.ts', 'cli/version.ts']);
  });

  it('keep the emitters, tracer and launchers out too (only their name lists load)', () => {
    const all = new Set(ENTRY_POINTS.flatMap((e) => [...reachable(g, e).keys()]));
    const fromLayers = [...all].filter((n) => /^(emit|trace|verify)\//.test(n)).sort();
    expect(fromLayers).toEqual(['emit/formats.ts', 'emit/k8s-kinds.ts', 'trace/tracer-choices.ts', 'verify/verify-formats.ts']);
  });
});
