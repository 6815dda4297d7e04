import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FIXTURE, dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';

const REGISTRY = '127.0.0.1:5000';

function registryUp(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(5000, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const haveRegistry = dockerAvailable() && (await registryUp());
if (!haveRegistry && process.env['CI'] === 'true') {
  throw new Error(`CI=true and no registry answers on ${REGISTRY}; .ci/run starts one`);
}

/** The pull path against a real registry (Debian's docker-registry on loopback, started by .ci/run). */
describe.skipIf(!haveRegistry)('pulling an image that is not present locally', () => {
  it('pulls it with progress on stderr, then profiles it', async () => {
    const session = testSession('pull');
    const ref = `${REGISTRY}/ro-profile-test/busybox-app:${session.replace(/[^a-z0-9]/g, '').slice(-40)}`;
    execFileSync('docker', ['tag', FIXTURE.busybox, ref]);
    execFileSync('docker', ['push', ref], { stdio: 'ignore' });
    execFileSync('docker', ['rmi', ref], { stdio: 'ignore' });
    try {
      const r = await runCli([ref, '--format', 'json'], { session });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`image "${ref}" is not present locally, pulling it`);
      const result = JSON.parse(r.stdout);
      expect(result.image.repoDigests[0]).toMatch(new RegExp(`^${REGISTRY}/ro-profile-test/busybox-app@sha256:[0-9a-f]{64}$`));
      expect(result.plan.mounts.map((m: { path: string }) => m.path)).toEqual(['/run/app', '/var/log/app']);
      expect(await leftovers(session)).toEqual([]);
    } finally {
      execFileSync('docker', ['rmi', '-f', ref], { stdio: 'ignore' });
    }
  });

  it('a tag the registry does not have is exit 4 with a hint', async () => {
    const session = testSession('pull-missing');
    const r = await runCli([`${REGISTRY}/ro-profile-test/busybox-app:no-such-tag`], { session });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/could not be pulled: .*(not found|unknown)/i);
    expect(r.stderr).toMatch(/hint: Check the name and tag/);
    expect(await leftovers(session)).toEqual([]);
  });
});
