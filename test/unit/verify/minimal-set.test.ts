import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minimalSubset } from '../../../src/verify/minimal-set.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A monotone test that passes when `extra` holds every one of `needed`, counting its calls. */
function needs(needed: readonly number[]) {
  const calls: number[][] = [];
  const pass = async (extra: readonly number[]) => {
    calls.push([...extra]);
    return needed.every((x) => extra.includes(x));
  };
  return { pass, calls };
}

describe('minimalSubset', () => {
  it('finds the one needed of 12 in fewer tests than trying each', async () => {
    for (const k of range(12)) {
      const { pass, calls } = needs([k]);
      expect(await minimalSubset(range(12), pass)).toEqual([k]);
      expect(calls.length).toBeLessThan(12);
    }
  });

  it('finds several needed ones, in the candidates\' order', async () => {
    const { pass } = needs([9, 2, 5]);
    expect(await minimalSubset(range(12), pass)).toEqual([2, 5, 9]);
  });

  it('needs every one when every one is needed', async () => {
    const { pass } = needs(range(5));
    expect(await minimalSubset(range(5), pass)).toEqual(range(5));
  });

  it('is empty, after one test, when nothing is needed', async () => {
    const { pass, calls } = needs([]);
    expect(await minimalSubset(range(12), pass)).toEqual([]);
    expect(calls).toEqual([[]]);
  });

  it('is empty for no candidates, without a test', async () => {
    const { pass, calls } = needs([]);
    expect(await minimalSubset([], pass)).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('never tests the empty set when told it fails', async () => {
    const { pass, calls } = needs([7]);
    expect(await minimalSubset(range(12), pass, true)).toEqual([7]);
    expect(calls.some((c) => c.length === 0)).toBe(false);
    // A single candidate, known to be needed: no test at all.
    const one = needs([3]);
    expect(await minimalSubset([3], one.pass, true)).toEqual([3]);
    expect(one.calls).toEqual([]);
  });

  it('tests only sets of the candidates, each at most once per element', async () => {
    const { pass, calls } = needs([4, 10]);
    await minimalSubset(range(12), pass);
    for (const c of calls) {
      expect(new Set(c).size).toBe(c.length);
      for (const x of c) expect(range(12)).toContain(x);
    }
  });

  it('gives a set that passes and from which no element can be left out, for any monotone test', async () => {
    // Monotone: passes when the set holds all of one of the alternatives (e.g. CHOWN, or DAC_OVERRIDE and FOWNER).
    const arb = fc
      .integer({ min: 1, max: 16 })
      .chain((n) => fc.tuple(fc.constant(n), fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 })));
    await fc.assert(
      fc.asyncProperty(arb, async ([n, alternatives]) => {
        const test = (s: readonly number[]) => alternatives.some((alt) => alt.every((x) => s.includes(x)));
        const found = await minimalSubset(range(n), async (extra) => test(extra));
        expect(test(found)).toBe(true);
        for (const x of found) expect(test(found.filter((y) => y !== x))).toBe(false);
        expect(new Set(found).size).toBe(found.length);
      }),
      { numRuns: 300 },
    );
  });

  it('costs about 2·k·log n tests, not n', async () => {
    const { pass, calls } = needs([100, 900]);
    const found = await minimalSubset(range(1024), pass);
    expect(found).toEqual([100, 900]);
    // 2 needed of 1024: 2·2·10.
    expect(calls.length).toBeLessThanOrEqual(2 * 2 * 10);
  });
});
