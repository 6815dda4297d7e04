import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { FIXTURE, dockerAvailable, runCli, testSession } from '../helpers/cli.js';
import { leftoversOn, startPodmanService } from '../helpers/engines.js';

const TEMP = 'ro-profile-fixture/temp-churn:latest';

/**
 * Podman through its Docker-compatible socket. Where it differs from Docker the profile must
 * still mean what it says: its own writable tmpfs on /run, /tmp and /var/tmp under --read-only
 * are masked (so leaving /tmp out of the config breaks the verification, as on Docker), tmpfs
 * ownership goes as `U` (Podman refuses uid=/gid=), and its hidden mount points in /etc are not
 * mistaken for a write into a system tree.
 */
describe.skipIf(!dockerAvailable())('Podman through its Docker-compatible socket', () => {
  const socket = join(tmpdir(), `rp-podman-${process.pid}.sock`);
  const host = `unix://${socket}`;
  const api = new Docker({ socketPath: socket });
  let service: { stop: () => Promise<void> } | undefined;
  let dir: string;
  beforeAll(async () => {
    service = await startPodmanService(socket, [FIXTURE.busybox, TEMP]);
    dir = mkdtempSync(join(tmpdir(), 'rp-podman-out-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await service?.stop();
  });

  it('profiles and verifies a fixture, and records that Podman ran it', async () => {
    const session = testSession('podman-busybox');
    const out = join(dir, 'busybox');
    const r = await runCli([FIXTURE.busybox, '--format', 'all', '--out', out], { session, env: { DOCKER_HOST: host } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('engine    Podman');
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Result;
    expect(result.engine?.runtime).toBe('podman');
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.plan.mounts.map((m) => [m.path, m.uid, m.gid])).toEqual([
      ['/run/app', 1000, 1000],
      ['/var/log/app', 1000, 1000],
    ]);
    expect(result.verification.map((v) => [v.format, v.runtime, v.result])).toEqual([['run', 'podman', 'pass']]);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('--read-only-tmpfs=false');
    expect(await leftoversOn(api, session)).toEqual([]);
  });

  it("keeps /tmp: without it the verification breaks, Podman's own tmpfs notwithstanding (docker-compose on Podman)", async () => {
    const session = testSession('podman-tmp');
    const out = join(dir, 'temp');
    const r = await runCli([TEMP, '--format', 'all', '--out', out, '--verify-with', 'compose'], { session, env: { DOCKER_HOST: host } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('without /tmp: broke');
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Result;
    expect(result.plan.mounts.map((m) => m.path)).toEqual(['/tmp']);
    expect(result.verification.map((v) => v.result)).toEqual(['pass']);
    expect(await leftoversOn(api, session)).toEqual([]);
  });
});
