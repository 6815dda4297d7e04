import { describe, expect, it } from 'vitest';
import { FIXTURE, dockerAvailable, leftovers, runCli, spawnCli, testSession } from '../helpers/cli.js';

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

describe.skipIf(!dockerAvailable())('a second Ctrl-C', () => {
  it('exits at once naming what is left, and gc removes it afterwards', async () => {
    const session = testSession('double-interrupt');
    const child = spawnCli([FIXTURE.nginx, '--duration', '60s'], { session });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const deadline = Date.now() + 60_000;
    while (!stderr.includes('--duration') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // The second signal as soon as the first is handled, while its cleanup is still running
    // (signals sent back to back would merge into one).
    child.kill('SIGINT');
    while (!stderr.includes('SIGINT received') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/exiting now/);
    const left = await leftovers(session);
    if (left.length > 0) expect(stderr).toContain(`left behind: ${left[0]}`);
    const gc = await runCli(['gc'], { session: `${session}-gc` });
    expect(gc.code, gc.stderr).toBe(0);
    expect(await leftovers(session)).toEqual([]);
  });
});
