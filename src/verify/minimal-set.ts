/**
 * A small subset of `candidates` that still passes, given that all of them together pass: by
 * halves (what of the second half is needed with all of the first, then what of the first is
 * needed with that), so a few needed among many cost about 2·k·log n tests, not n. `pass(extra)`
 * tests exactly `extra` on top of what the caller always keeps; `knownFail` skips testing the
 * empty set when the caller already saw it fail.
 */
export async function minimalSubset<T>(candidates: readonly T[], pass: (extra: readonly T[]) => Promise<boolean>, knownFail = false): Promise<T[]> {
  const needed = async (cands: readonly T[], base: readonly T[], baseFails: boolean): Promise<T[]> => {
    if (cands.length === 0) return [];
    if (!baseFails && (await pass(base))) return [];
    if (cands.length === 1) return [...cands];
    const mid = Math.ceil(cands.length / 2);
    const a = cands.slice(0, mid);
    const b = cands.slice(mid);
    const nb = await needed(b, [...base, ...a], false);
    const na = await needed(a, [...base, ...nb], false);
    return [...na, ...nb];
  };
  return needed(candidates, [], knownFail);
}
