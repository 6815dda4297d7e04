import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRunSpec } from '../../../src/cli/passthrough.js';
import { emitCompose } from '../../../src/emit/compose.js';
import { isRoProfileError } from '../../../src/errors.js';
import { emitCaseArb, envNameArb, wordArb, type EmitCase } from '../../helpers/emit-arbitraries.js';
import { composeInexpressible, refCompose } from '../../helpers/emit-reference.js';
import { loadYamlWithPython, onlyDoc } from '../../helpers/pyyaml.js';

/**
 * Cases are drawn up front with a seed that failures print, emitted, and then read back by
 * PyYAML in one python process per property: the price of batching is no shrinking, so a
 * failure names the seed and the whole case.
 */
function drawCases(numRuns: number): { seed: number; cases: EmitCase[] } {
  const seed = Date.now() ^ Math.floor(Math.random() * 0x7fffffff);
  return { seed, cases: fc.sample(emitCaseArb, { numRuns, seed }) };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

interface Emitted {
  readonly c: EmitCase;
  readonly override: boolean;
  readonly text: string;
}

describe('the compose file, for generated paths and pass-through values', () => {
  it('reads back through PyYAML as exactly the file the mount fields call for, or is refused naming the path', () => {
    const { seed, cases } = drawCases(200);
    const emitted: Emitted[] = [];
    let refusals = 0;
    for (const c of cases) {
      for (const override of [false, true]) {
        const refused = composeInexpressible(c.result.plan.mounts);
        try {
          const text = emitCompose(c.result, { override, service: c.service });
          expect(refused, `seed ${seed}: the reference says this plan cannot be written for compose`).toBeUndefined();
          expect(LONE_SURROGATE.test(text), `seed ${seed}: lone surrogate in the YAML`).toBe(false);
          emitted.push({ c, override, text });
        } catch (e) {
          if (!isRoProfileError(e) || !refused) throw e;
          expect(e.code).toBe('EMIT_FAILED');
          expect(e.message).toContain(`the tmpfs on "${refused.path}" needs uid/gid/exec options`);
          expect(e.hint).toBeTruthy();
          refusals++;
        }
      }
    }
    expect(emitted.length).toBeGreaterThan(refusals);
    const parsed = loadYamlWithPython(emitted.map((e) => e.text));
    emitted.forEach(({ c, override, text }, i) => {
      const doc = onlyDoc(parsed[i]!, text);
      const expected = refCompose(c.result, { override, service: c.expectedService });
      expect(doc, `seed ${seed}, case ${JSON.stringify({ override, service: c.service, run: c.result.run, mounts: c.result.plan.mounts })}\n${text}`).toEqual(expected);
    });
  });

  it('never carries a value given with -e NAME=VALUE: environment holds names only', () => {
    const seed = Date.now() ^ Math.floor(Math.random() * 0x7fffffff);
    const drawn = fc.sample(fc.tuple(emitCaseArb, fc.array(fc.tuple(envNameArb, wordArb), { minLength: 1, maxLength: 3 })), { numRuns: 40, seed });
    const texts: string[] = [];
    const secretsOf: string[][] = [];
    for (const [c, pairs] of drawn) {
      if (composeInexpressible(c.result.plan.mounts)) continue;
      const env = pairs.map(([name, value], i) => `${name}=SECRET-${i}:${value}`);
      const { run, secrets } = buildRunSpec({ image: c.result.run.image, env, envFile: [], volume: [], mount: [], publish: [], command: [] }, c.result.run.exercise, {});
      texts.push(emitCompose({ ...c.result, run: { ...c.result.run, env: run.env } }, { override: false, service: c.service }));
      secretsOf.push([...secrets.values()]);
    }
    const parsed = loadYamlWithPython(texts);
    texts.forEach((text, i) => {
      const doc = onlyDoc(parsed[i]!, text) as { services: Record<string, { environment?: unknown }> };
      const [service] = Object.values(doc.services);
      const environment = service?.environment as string[];
      expect(environment.every((e) => !e.includes('=')), `seed ${seed}\n${text}`).toBe(true);
      for (const value of secretsOf[i]!) {
        expect(text).not.toContain(value);
        expect(JSON.stringify(doc)).not.toContain(JSON.stringify(value).slice(1, -1));
      }
    });
  });

  it('gives the same bytes for the same result', () => {
    fc.assert(
      fc.property(emitCaseArb, fc.boolean(), ({ result, service }, override) => {
        fc.pre(composeInexpressible(result.plan.mounts) === undefined);
        const o = { override, service };
        expect(emitCompose(structuredClone(result), o)).toBe(emitCompose(result, o));
      }),
      { numRuns: 50 },
    );
  });
});
