import { readdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { FIXTURE, docker, dockerAvailable, leftovers, runCli, spawnCli, testSession } from '../helpers/cli.js';

/** Ctrl-C (and SIGTERM) mid-profile: exit 130, and nothing with the run's label remains. */
describe.skipIf(!dockerAvailable())('interrupts', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s during the exercise removes everything the run created', async (sig) => {
    const session = testSession(`interrupt-${sig}`);
    const child = spawnCli([FIXTURE.nginx, '--duration', '60s', '-v', `ro-profile-test-vol-${sig.toLowerCase()}:/srv/data`], { session });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    let stdout = '';
    child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
    // Wait until the container is up and being exercised, then interrupt.
    const deadline = Date.now() + 60_000;
    while (!stderr.includes('--duration') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(stderr).toContain('--duration');
    expect((await leftovers(session)).length).toBeGreaterThan(0);
    child.kill(sig);
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code, stderr).toBe(130);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Interrupted/);
    expect(await leftovers(session)).toEqual([]);
  });
});

/** Verification's compose projects live in temp dirs of their own: none may outlive a run. */
const composeDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith('ro-profile-compose-'));

describe.skipIf(!dockerAvailable())('a second Ctrl-C', () => {
  // Each stage: the run's arguments, and when it has reached the stage (what it printed, or what it made).
  const stages: [string, string[], (stderr: string, session: string) => Promise<boolean>][] = [
    ['the exercise', [FIXTURE.nginx, '--duration', '60s'], async (e) => e.includes('--duration')],
    ['a live trace', [FIXTURE.nginx, '--tracer', 'strace', '--tracer-base', FIXTURE.base, '--duration', '60s'], async (e) => e.includes('--duration')],
    ['a compose verification', ['ro-profile-fixture/open-log:latest', '--verify-with', 'compose'], async (e, session) => e.includes('analyze') && (await leftovers(session)).some((x) => x.startsWith('network '))],
  ];

  it.each(stages)('during %s: exits at once naming what is really left by id, with the gc line that removes it', async (_stage, args, reached) => {
    const session = testSession('double-interrupt');
    const dirsBefore = new Set(composeDirs());
    const child = spawnCli(args, { session });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    const deadline = Date.now() + 90_000;
    while (!(await reached(stderr, session)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await reached(stderr, session), stderr).toBe(true);
    // The second signal as soon as the first is handled, while its cleanup is still running
    // (signals sent back to back would merge into one).
    child.kill('SIGINT');
    while (!stderr.includes('SIGINT received') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const left = await leftovers(session);
    if (stderr.includes('exiting now')) {
      // Everything still there is named, by the id the engine knows it by, and only that: the
      // cleanup was halted before the list was made, so nothing named has vanished since.
      for (const x of left) expect(stderr).toContain(x);
      const named = /left on the engine: (.*)/.exec(stderr)?.[1]?.split(', ') ?? [];
      for (const x of named) expect(left, stderr).toContain(x);
      const gcLine = /remove (?:them|what is left) with: (ro-profile gc --session \S+)/.exec(stderr)?.[1];
      if (left.length > 0) expect(gcLine, stderr).toBe(`ro-profile gc --session ${session}`);
    } else {
      // The first signal's cleanup ended before the second arrived.
      expect(stderr).toMatch(/Interrupted/);
    }
    const gc = await runCli(['gc', '--session', session], { session: `${session}-gc` });
    expect(gc.code, gc.stderr).toBe(0);
    expect(await leftovers(session)).toEqual([]);
    expect(composeDirs().filter((d) => !dirsBefore.has(d))).toEqual([]);
  });

  it('gc --session removes only that session, live or not', async () => {
    const session = testSession('gc-session');
    const other = testSession('gc-session-other');
    const labels = (s: string) => ({ 'io.ro-profile.managed': 'true', 'io.ro-profile.session': s, 'io.ro-profile.pid': String(process.pid), 'io.ro-profile.host': hostname() });
    await docker.createVolume({ Name: `${session}-vol`, Labels: labels(session) });
    await docker.createVolume({ Name: `${other}-vol`, Labels: labels(other) });
    try {
      const gc = await runCli(['gc', '--session', session], { session: `${session}-gc` });
      expect(gc.code, gc.stderr).toBe(0);
      expect(gc.stderr).toContain(`removed volume ${session}-vol`);
      expect(await leftovers(session)).toEqual([]);
      // The other one is owned by a live process (this one): plain gc keeps it, and so did --session.
      expect(await leftovers(other)).toEqual([`volume ${other}-vol`]);
    } finally {
      await docker.getVolume(`${other}-vol`).remove().catch(() => undefined);
    }
  });
});
