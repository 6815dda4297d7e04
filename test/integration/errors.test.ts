import { describe, expect, it } from 'vitest';
import { FIXTURE, dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';
import { commandLines } from '../helpers/hardened-run.js';

/**
 * Each failure of the contract's exit-code table: the right status, a message that says what
 * was wrong with a hint that says what to do, and nothing left on the engine.
 */
describe.skipIf(!dockerAvailable())('failures: exit code, message, hint, nothing left behind', () => {
  it.each([
    {
      name: 'an unknown flag is a usage error (2)',
      args: [FIXTURE.busybox, '--no-such-flag'],
      code: 2,
      message: /Unknown argument/i,
    },
    {
      name: 'a --mount without a target is a usage error (2)',
      args: [FIXTURE.busybox, '--mount', 'type=volume,source=x'],
      code: 2,
      message: /"--mount type=volume,source=x" cannot be used: it has no target/,
      hint: true,
    },
    {
      name: '--format all without --out is a usage error (2)',
      args: [FIXTURE.busybox, '--format', 'all'],
      code: 2,
      message: /"--format all" needs "--out DIR"/,
      hint: true,
    },
    {
      name: 'a --headroom under 1 is a usage error (2): limits are never tighter than what was measured',
      args: [FIXTURE.busybox, '--headroom', '0.5'],
      code: 2,
      message: /"--headroom 0.5" is not a factor from 1 to 100/,
      hint: true,
    },
    {
      name: '--headroom with --limits off is a usage error (2)',
      args: [FIXTURE.busybox, '--limits', 'off', '--headroom', '2'],
      code: 2,
      message: /"--headroom" has no effect with "--limits off"/,
      hint: true,
    },
    {
      name: 'an image that is neither local nor pullable is exit 4',
      args: ['ro-profile-fixture/does-not-exist:never'],
      code: 4,
      message: /Image "ro-profile-fixture\/does-not-exist:never" is not present locally and could not be pulled/,
      hint: true,
    },
    {
      name: 'a container that exits non-zero before it is ready is exit 5, with its output',
      args: [FIXTURE.busybox, '--', 'sh', '-c', 'echo boom >&2; exit 3'],
      code: 5,
      message: /exited with code 3 before it was ready; last output:\nboom/,
      hint: true,
    },
    {
      name: 'a failing --exec step is exit 5',
      args: [FIXTURE.busybox, '--exec', 'echo nope; exit 9'],
      code: 5,
      message: /--exec "echo nope; exit 9" failed with exit code 9/,
      hint: true,
    },
    {
      name: 'a port that never opens is exit 6 after --timeout',
      args: [FIXTURE.busybox, '--timeout', '2s', '--', 'sleep', '60'],
      code: 6,
      message: /was not ready after 2 s: port 8080 not accepting connections/,
      hint: true,
    },
  ])('$name', async ({ name, args, code, message, hint }) => {
    const session = testSession(`err-${name}`);
    const r = await runCli(args, { session });
    expect(r.code, r.stderr).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    if (hint) expect(r.stderr).toMatch(/\nhint: \S/);
    expect(await leftovers(session)).toEqual([]);
  });

  it('an engine that cannot be reached is exit 3, naming where it looked', async () => {
    const session = testSession('no-engine');
    const r = await runCli([FIXTURE.busybox], { session, env: { DOCKER_HOST: 'unix:///tmp/ro-profile-no-such.sock' } });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('Cannot reach the Docker engine at unix:///tmp/ro-profile-no-such.sock');
    expect(r.stderr).toMatch(/hint: Start the Docker engine/);
  });

  it('--json puts the error into the envelope on stdout', async () => {
    const session = testSession('json-error');
    const r = await runCli(['ro-profile-fixture/does-not-exist:never', '--json'], { session });
    expect(r.code).toBe(4);
    const env = JSON.parse(r.stdout);
    expect(env).toMatchObject({ outcome: 'error', error: { code: 'IMAGE_NOT_FOUND' } });
    expect(env.error.hint).toMatch(/Check the name and tag/);
  });

  it('--exec in an image without a shell says so', async () => {
    const session = testSession('no-shell');
    // The fixture's entrypoint is a shell script, so point --exec at a missing binary path instead
    // by removing sh from PATH: the exec then cannot find "sh", as in a distroless image.
    const r = await runCli([FIXTURE.busybox, '-e', 'PATH=/nowhere', '--exec', 'true', '--', '/bin/sh', '/app/start.sh'], { session });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('has no /bin/sh');
    expect(await leftovers(session)).toEqual([]);
  });
});

describe.skipIf(!dockerAvailable())('a write straight into a system tree', () => {
  it('prints the config, then exits 8 with the finding that says what to change', async () => {
    const session = testSession('system-write');
    const r = await runCli([FIXTURE.base, '--', 'sh', '-c', 'echo x > /etc/app.conf && mkdir -p /tmp/ok'], { session });
    expect(r.code, r.stderr).toBe(8);
    // Marked as an unverified config is (exit 7): the same header, then the line.
    const header = r.stdout.split('\n')[0];
    const line = commandLines(r.stdout)[0];
    expect(header).toBe('# UNVERIFIED: this config cannot run read-only as is: the app writes straight into /etc, which no mount may cover (see the findings in the report); it was not run');
    expect(line).toMatch(/^docker run --read-only .*--tmpfs \/tmp:/);
    expect(r.stderr).toContain('the image writes straight into /etc, which cannot become a writable mount');
    expect(r.stderr).toMatch(/hint: See the findings/);
    const json = await runCli([FIXTURE.base, '--json', '--', 'sh', '-c', 'echo x > /etc/app.conf'], { session });
    expect(json.code).toBe(8);
    const env = JSON.parse(json.stdout);
    expect(env).toMatchObject({ outcome: 'error', error: { code: 'CANNOT_RUN_READ_ONLY' } });
    expect(env.result.findings).toContainEqual(expect.objectContaining({ kind: 'system-write', severity: 'error', path: '/etc', evidence: ['add /etc/app.conf'] }));
    expect(await leftovers(session)).toEqual([]);
  });
});
