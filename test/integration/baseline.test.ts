import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import type { Result } from '../../src/model/result.js';
import { FIXTURE, ROOT, leftovers, runCli, testSession } from '../helpers/cli.js';

/**
 * The CI gate, as a pipeline runs it: `diff` of two results, and `verify --baseline` on the
 * fast busybox-app fixture (one verify round and a restart, about 8 s each), with the exit
 * statuses a job keys on: 0 not widened, 10 widened, 7 failed verification before either.
 */
const EXAMPLE = `${ROOT}examples/busybox-app/result.json`;
const example = () => JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Result;
const dir = mkdtempSync('/tmp/ro-profile-baseline-test-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function save(name: string, r: Result): string {
  const file = `${dir}/${name}`;
  writeFileSync(file, JSON.stringify(r));
  return file;
}

const narrower = () => save('narrow.json', { ...example(), plan: { mounts: example().plan.mounts.filter((m) => m.path !== '/var/log/app') } });

describe('ro-profile diff', () => {
  it('exits 10 when the new result widens the old one, 0 when it does not; the report goes to stdout either way', async () => {
    const base = example();
    const wide = save('wide.json', { ...base, plan: { mounts: base.plan.mounts.map((m) => (m.path === '/run/app' ? { ...m, exec: true } : m)) } });
    const session = testSession('diff-gate');
    const widened = await runCli(['diff', EXAMPLE, wide], { session });
    expect(widened.code, widened.stderr).toBe(10);
    expect(widened.stdout).toMatch(/FAIL {2}exec-allowed {2}\/run\/app {2}noexec was dropped/);
    expect(widened.stderr).toContain('the config widened since');
    // Narrowing (the other way round) is reported and passes.
    const narrowed = await runCli(['diff', wide, EXAMPLE, '--format', 'json'], { session });
    expect(narrowed.code, narrowed.stderr).toBe(0);
    expect(JSON.parse(narrowed.stdout)).toMatchObject({ widened: false, changes: [{ kind: 'exec-removed', path: '/run/app', widening: false }] });
    // SARIF keeps the failing status.
    const sarif = await runCli(['diff', EXAMPLE, wide, '--format', 'sarif'], { session });
    expect(sarif.code).toBe(10);
    expect((JSON.parse(sarif.stdout) as Log).runs[0]!.results!.map((r) => [r.ruleId, r.level])).toEqual([['ro-profile/exec-allowed', 'error']]);
    // --json: the envelope says error, with the diff as its result.
    const envelope = await runCli(['diff', EXAMPLE, wide, '--json'], { session });
    expect(envelope.code).toBe(10);
    expect(JSON.parse(envelope.stdout)).toMatchObject({ outcome: 'error', result: { widened: true }, error: { code: 'WIDENED' } });
    const missing = await runCli(['diff', EXAMPLE, `${dir}/none.json`], { session });
    expect(missing.code).toBe(2);
  });
});

describe('ro-profile verify RESULT --baseline OLD', () => {
  it('verifies, then exits 10 on a result wider than the baseline, with the widening on stderr and in the SARIF', async () => {
    const session = testSession('verify-baseline');
    const r = await runCli(['verify', EXAMPLE, '--baseline', narrower(), '--format', 'sarif'], { session, timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(10);
    expect(r.stderr).toMatch(/FAIL {2}new-writable-path {2}\/var\/log\/app/);
    const results = (JSON.parse(r.stdout) as Log).runs[0]!.results!;
    expect(results.filter((x) => x.level === 'error').map((x) => x.ruleId)).toEqual(['ro-profile/new-writable-path']);
    expect(await leftovers(session)).toEqual([]);
  });

  it('a failed verification exits 7 before the widening (10), in SARIF too', async () => {
    const base = example();
    // Without /run/app the app cannot write its pid file: verification fails (verify does not repair).
    const broken = save('broken.json', { ...base, plan: { mounts: base.plan.mounts.filter((m) => m.path !== '/run/app') } });
    const wider = save('wider-baseline.json', { ...base, plan: { mounts: [] } });
    const session = testSession('verify-baseline-fail');
    const r = await runCli(['verify', broken, '--baseline', wider, '--format', 'sarif'], { session, timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(7);
    const results = (JSON.parse(r.stdout) as Log).runs[0]!.results!;
    expect(results.map((x) => x.ruleId)).toContain('ro-profile/verification-failed');
    expect(r.stderr).toMatch(/FAIL {2}new-writable-path {2}\/var\/log\/app/);
    expect(await leftovers(session)).toEqual([]);
  });

  it('profile IMAGE --baseline OLD --format all --out DIR (the CI job): the files written, SARIF and JUnit with the widening, exit 10', async () => {
    const session = testSession('profile-baseline');
    const out = `${dir}/out`;
    const r = await runCli([FIXTURE.busybox, '--baseline', narrower(), '--leave-one-out', '0', '--format', 'all', '--out', out], { session, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(10);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/FAIL {2}new-writable-path {2}\/var\/log\/app/);
    const sarif = JSON.parse(readFileSync(`${out}/results.sarif`, 'utf8')) as Log;
    expect(sarif.runs[0]!.results!.filter((x) => x.level === 'error').map((x) => x.ruleId)).toEqual(['ro-profile/new-writable-path']);
    const junit = readFileSync(`${out}/junit.xml`, 'utf8');
    expect(junit).toMatch(/<testcase classname="[^"]+ baseline" name="new-writable-path \/var\/log\/app">\s*<failure/);
    expect(await leftovers(session)).toEqual([]);
  });
});
