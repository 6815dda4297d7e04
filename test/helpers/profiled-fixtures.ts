import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { leftovers, runCli } from './cli.js';
import type { FixtureCase } from './fixture-exercises.js';

/**
 * What `ro-profile IMAGE ARGS --format all --out DIR -q` printed for a fixture, profiled once per
 * integration run and shared by the suites that run the printed files (compose.test.ts,
 * k8s.test.ts): the files are read, never changed. The directory lives in the run's cache, which
 * the global setup removes at the end. The first caller checks the run: exit 0, nothing on
 * stdout, nothing left on the engine.
 */
export async function profiledFixture(fc: FixtureCase, session: string): Promise<string> {
  const dir = join(inject('profileCache'), fc.fixture);
  const out = join(dir, 'out');
  const done = join(dir, 'done');
  if (existsSync(done)) return out;
  const r = await runCli([fc.image, ...fc.args, '--format', 'all', '--out', out, '-q'], { session });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toBe('');
  expect(readdirSync(out)).toEqual(expect.arrayContaining(['compose.yaml', 'docker-run.sh', 'k8s.yaml', 'report.md', 'result.json']));
  expect(await leftovers(session)).toEqual([]);
  writeFileSync(done, '');
  return out;
}
