import { readFileSync } from 'node:fs';
import type { Mount } from '../../../src/model/mount-plan.js';
import { parseResult } from '../../../src/model/parse-result.js';
import type { Result } from '../../../src/model/result.js';

/** A checked-in example result (a real profile), read as the CLI reads it. */
export function example(name: string): Result {
  const file = new URL(`../../../examples/${name}/result.json`, import.meta.url);
  return parseResult(readFileSync(file, 'utf8'), `examples/${name}/result.json`);
}

/** The result with its mounts changed by `f` (the rest as profiled). */
export function withMounts(r: Result, f: (ms: Mount[]) => Mount[]): Result {
  return { ...r, plan: { mounts: f(r.plan.mounts.map((m) => ({ ...m }))) } };
}

export function mountAt(r: Result, path: string): Mount {
  const m = r.plan.mounts.find((x) => x.path === path);
  if (!m) throw new Error(`${path} is not a mount of ${r.image.ref}`);
  return m;
}
