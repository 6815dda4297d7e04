import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE, dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';

const SECRET = 's3cr3t-value-that-must-not-leak';
const FILE_SECRET = 'file-secret-that-must-not-leak';
const INHERITED = 'inherited-secret-that-must-not-leak';

/** Values given with -e NAME=VALUE or --env-file reach the container and nothing we print. */
describe.skipIf(!dockerAvailable())('secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ro-profile-secrets-'));
  const envFile = join(dir, 'app.env');
  writeFileSync(envFile, `# a comment\nFILE_TOKEN=${FILE_SECRET}\n`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const args = [
    FIXTURE.busybox,
    '-e', `API_TOKEN=${SECRET}`,
    '-e', 'FROM_ENV',
    '--env-file', envFile,
    // The exercise proves each value reached the container.
    '--exec', `test "$API_TOKEN" = '${SECRET}' && test "$FILE_TOKEN" = '${FILE_SECRET}' && test "$FROM_ENV" = '${INHERITED}'`,
  ];

  it.each(['run', 'json'])('--format %s names the variables and never prints a value', async (format) => {
    const session = testSession(`secrets-${format}`);
    const r = await runCli([...args, '--format', format], { session, env: { FROM_ENV: INHERITED } });
    expect(r.code, r.stderr).toBe(0);
    for (const v of [SECRET, FILE_SECRET, INHERITED]) {
      expect(r.stdout).not.toContain(v);
      expect(r.stderr).not.toContain(v);
    }
    if (format === 'run') {
      expect(r.stdout).toContain(' -e API_TOKEN -e FROM_ENV --env-file ');
      expect(r.stdout).toContain(envFile);
    } else {
      const result = JSON.parse(r.stdout);
      expect(result.run.env).toEqual([{ name: 'API_TOKEN' }, { name: 'FROM_ENV' }]);
      expect(result.run.envFiles).toEqual([envFile]);
    }
    expect(await leftovers(session)).toEqual([]);
  });

  // A short value (under four characters) is masked as a word and as its variable's value.
  const SHORT = 'q7z';
  /** An exec step that fails only under a read-only root, quoting both values: a difference no repair can fix. */
  const READ_ONLY_ONLY = `if grep -q ' / / ro' /proc/self/mountinfo; then echo "refused with ${SECRET} and ${SHORT}"; exit 3; fi; : ${SECRET} ${SHORT}`;

  it('a verification difference quoting an --exec command with values in it prints neither value, long or short, on any stream', async () => {
    const session = testSession('secrets-difference');
    const r = await runCli([FIXTURE.busybox, '-e', `API_TOKEN=${SECRET}`, '-e', `PIN=${SHORT}`, '--exec', READ_ONLY_ONLY, '--leave-one-out', '0', '--json'], { session });
    expect(r.code, r.stderr).toBe(7);
    expect(r.stderr).toMatch(/--exec ".*\*\*\*.*" exited 3, in the writable run 0/);
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain(SECRET);
      expect(out).not.toMatch(new RegExp(`\\b${SHORT}\\b`));
    }
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'error', error: { code: 'VERIFY_FAILED' } });
    expect(await leftovers(session)).toEqual([]);
  });

  it('verify RESULT: container output in its errors is redacted too (stderr and the --json envelope)', async () => {
    const session = testSession('secrets-reverify');
    const made = await runCli([FIXTURE.busybox, '-e', 'API_TOKEN', '-e', 'PIN', '--no-verify', '--format', 'json'], { session, env: { API_TOKEN: SECRET, PIN: SHORT } });
    expect(made.code, made.stderr).toBe(0);
    // The saved command now prints both values and fails, even with a writable root.
    const result = { ...JSON.parse(made.stdout) };
    result.run = { ...result.run, entrypoint: 'sh', command: ['-c', 'echo "token $API_TOKEN pin $PIN"; exit 4'] };
    const file = join(dir, 'result.json');
    writeFileSync(file, JSON.stringify(result));
    const r = await runCli(['verify', file, '--json'], { session, env: { API_TOKEN: SECRET, PIN: SHORT } });
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toContain('token *** pin ***');
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'error', error: { code: 'CONTAINER_FAILED', message: expect.stringContaining('token *** pin ***') } });
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain(SECRET);
      expect(out).not.toMatch(new RegExp(`\\b${SHORT}\\b`));
    }
    expect(await leftovers(session)).toEqual([]);
  });

  it('a failing exercise does not echo the secret in its error either', async () => {
    const session = testSession('secrets-error');
    // The step prints the value, so the error (which quotes the step's output) would carry it.
    const r = await runCli([FIXTURE.busybox, '-e', `API_TOKEN=${SECRET}`, '--exec', 'echo "token is $API_TOKEN"; false'], { session });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('token is ***');
    expect(r.stderr).not.toContain(SECRET);
    expect(await leftovers(session)).toEqual([]);
  });
});
