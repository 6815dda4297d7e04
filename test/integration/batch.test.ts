import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { safeName } from '../../src/cli/batch/safe-name.js';
import type { BatchSummary } from '../../src/cli/batch/summary.js';
import { dockerAvailable, leftovers, runCli, spawnCli, testSession } from '../helpers/cli.js';
import { tmpDir } from '../helpers/tmp.js';

const APP = 'ro-profile-fixture/busybox-app:latest';
const HEALTH = 'ro-profile-fixture/busybox-health:latest';
/** Neither local nor pullable (offline, the pull fails at once; online, the registry says no): exit 4. */
const MISSING = 'ro-profile-fixture/no-such-image:1';
const FILES = ['compose.yaml', 'docker-run.sh', 'junit.xml', 'k8s.yaml', 'report.md', 'result.json', 'results.sarif', 'status.json'];

const summaryIn = (dir: string): BatchSummary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as BatchSummary;

/** A catalogue of two fixtures and one broken image: verified, two at a time, resumed, interrupted. */
describe.skipIf(!dockerAvailable())('ro-profile batch', () => {
  const out = tmpDir('ro-profile-batch-');
  afterAll(() => out[Symbol.dispose]());
  const list = out.write('images.txt', `# the catalogue\n${APP}\n\n${HEALTH}   # with a healthcheck\n${MISSING}\n`);
  const dir = join(out.path, 'out');
  const args = ['batch', '--file', list, '--out', dir, '--concurrency', '2', '--no-profile'];
  const session = testSession('batch');

  it('profiles and verifies each image into its own directory, isolates the failure, and exits 9 with a correct summary', async () => {
    const r = await runCli(args, { session });
    expect(r.code, r.stderr).toBe(9);
    // The table on stdout, one row an image in the order listed.
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^IMAGE +OUTCOME +EXIT +MOUNTS +HARDENING +VERIFIED-WITH +SECONDS +DIR$/);
    expect(rows.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([
      [APP, 'success', '0'],
      [HEALTH, 'success', '0'],
      [MISSING, 'failed', '4'],
    ]);
    // Progress lines carry their image, so the two parallel runs read apart.
    expect(r.stderr).toContain(`ro-profile: [${APP}] verify    the config runs as the writable run did`);
    expect(r.stderr).toContain(`ro-profile: [${HEALTH}] ready     by healthcheck`);
    expect(r.stderr).toMatch(/1 of 3 images failed: ro-profile-fixture\/no-such-image:1 \(exit 4\)\nhint: /);

    const s = summaryIn(dir);
    expect(s.finished).toBe(true);
    expect(s.counts).toMatchObject({ total: 3, success: 2, failed: 1 });
    for (const [image, e] of [APP, HEALTH].map((i, n) => [i, s.images[n]!] as const)) {
      expect(e).toMatchObject({ image, dir: safeName(image), outcome: 'success', exitCode: 0, mounts: 2, hardening: 'restricted' });
      expect(e.verifiedWith).toMatch(/^run, docker /);
      expect(readdirSync(join(dir, e.dir)).sort()).toEqual(FILES);
      expect(readFileSync(join(dir, e.dir, 'docker-run.sh'), 'utf8')).toContain('--read-only');
    }
    const broken = s.images[2]!;
    expect(broken).toMatchObject({ image: MISSING, outcome: 'failed', exitCode: 4, error: { code: 'IMAGE_NOT_FOUND' } });
    expect(broken.error?.hint).toMatch(/Check the name and tag/);
    expect(readdirSync(join(dir, broken.dir))).toEqual(['status.json']);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain(`### \`${MISSING}\`: exit 4 (IMAGE_NOT_FOUND)`);
    expect(await leftovers(session)).toEqual([]);
  });

  it('--resume runs only what did not succeed, and lists the rest as resumed', async () => {
    const r = await runCli([...args, '--resume'], { session });
    expect(r.code, r.stderr).toBe(9);
    expect(r.stderr).not.toContain(`[${APP}] engine`);
    expect(r.stderr).not.toContain(`[${HEALTH}] engine`);
    expect(r.stderr).toContain(`[${MISSING}] failed (exit 4)`);
    expect(summaryIn(dir).images.map((e) => [e.image, e.outcome, e.exitCode])).toEqual([
      [APP, 'resumed', 0],
      [HEALTH, 'resumed', 0],
      [MISSING, 'failed', 4],
    ]);
    // Other options are another fingerprint: a success made with verification is not one without.
    const again = await runCli(['batch', APP, '--out', dir, '--no-profile', '--no-verify', '--resume', '--json'], { session });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'success', summary: { images: [{ image: APP, outcome: 'success' }] } });
    expect(await leftovers(session)).toEqual([]);
  });

  it('Ctrl-C aborts every image in flight, starts no other, leaves a partial summary and nothing on the engine: exit 130', async () => {
    const idir = join(out.path, 'interrupted');
    const isession = testSession('batch-interrupt');
    const child = spawnCli(['batch', APP, HEALTH, 'ro-profile-fixture/busybox-volume:latest', '--out', idir, '--no-profile', '--no-verify', '--duration', '60s'], { session: isession });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    const deadline = Date.now() + 60_000;
    const inFlight = () => (stderr.match(/keeping it running for 60 s/g) ?? []).length;
    while (inFlight() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(inFlight(), stderr).toBe(2);
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(stderr).toMatch(/Interrupted \(2 interrupted, 1 not-run\)/);
    const s = summaryIn(idir);
    expect(s.finished).toBe(false);
    expect(s.images.map((e) => e.outcome)).toEqual(['interrupted', 'interrupted', 'not-run']);
    expect(existsSync(join(idir, safeName('ro-profile-fixture/busybox-volume:latest')))).toBe(false);
    expect(await leftovers(isession)).toEqual([]);
  });
});
