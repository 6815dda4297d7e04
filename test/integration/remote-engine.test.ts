import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { FIXTURE, dockerAvailable, runCli, testSession } from '../helpers/cli.js';
import { REMOTE_HOST, SSH_DIR, leftoversOn, startRemoteEngine, stopRemoteEngine } from '../helpers/engines.js';

/**
 * An engine that is remote as far as this machine can tell (remote-engine.sh): reached over
 * TCP only, its containers on a network with no route from here, its published ports on a
 * loopback that is not ours. A profile must reach the app from the engine's side (the relay)
 * and verify there, by DOCKER_HOST and by a docker context alike, leaving nothing behind.
 */
describe.skipIf(!dockerAvailable())('a remote engine (DOCKER_HOST tcp://, docker contexts)', () => {
  const remote = new Docker({ host: '10.203.0.2', port: 2375, protocol: 'http' });
  let dir: string;
  beforeAll(() => {
    expect(startRemoteEngine([FIXTURE.busybox])).toBe(REMOTE_HOST);
    dir = mkdtempSync(join(tmpdir(), 'rp-remote-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    stopRemoteEngine();
  });

  it('profiles and verifies through DOCKER_HOST, probing the app from its own network', async () => {
    const session = testSession('remote-docker-host');
    const out = join(dir, 'host');
    const r = await runCli([FIXTURE.busybox, '--format', 'all', '--out', out], { session, env: { DOCKER_HOST: REMOTE_HOST } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('at tcp://10.203.0.2:2375');
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Result;
    // The app's port answered: only the relay could reach it (no route to 10.204.0.0/24 from here).
    expect(result.exercise.probes).toContainEqual(expect.objectContaining({ port: 8080, kind: 'http', ok: true, status: 200 }));
    expect(result.plan.mounts.map((m) => m.path)).toEqual(['/run/app', '/var/log/app']);
    expect(result.verification.map((v) => [v.format, v.result])).toEqual([['run', 'pass']]);
    expect(result.engine).toMatchObject({ runtime: 'docker' });
    expect(await leftoversOn(remote, session)).toEqual([]);
  });

  it('follows the current docker context, and docker-compose verifies on the same engine', async () => {
    const session = testSession('remote-context');
    const config = join(dir, 'docker-config');
    const id = createHash('sha256').update('rp-remote').digest('hex');
    mkdirSync(join(config, 'contexts', 'meta', id), { recursive: true });
    writeFileSync(join(config, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: 'rp-remote', Metadata: {}, Endpoints: { docker: { Host: REMOTE_HOST, SkipTLSVerify: false } } }));
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: 'rp-remote' }));
    const out = join(dir, 'context');
    const r = await runCli([FIXTURE.busybox, '--format', 'all', '--out', out, '--verify-with', 'compose'], { session, env: { DOCKER_HOST: '', DOCKER_CONFIG: config } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('(context rp-remote)');
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Result;
    expect(result.verification.map((v) => [v.format, v.result])).toEqual([['compose', 'pass']]);
    expect(await leftoversOn(remote, session)).toEqual([]);
  });

  it('reaches it over ssh:// as the docker CLI would (dial-stdio on the far side), with a key from ~/.ssh', async () => {
    const session = testSession('remote-ssh');
    const home = join(dir, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    writeFileSync(join(home, '.ssh', 'id_ed25519'), readFileSync(`${SSH_DIR}/id_ed25519`), { mode: 0o600 });
    const r = await runCli([FIXTURE.busybox, '--no-verify', '--format', 'json'], { session, env: { DOCKER_HOST: 'ssh://root@10.203.0.2', HOME: home, SSH_AUTH_SOCK: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('at ssh://root@10.203.0.2');
    const result = JSON.parse(r.stdout) as Result;
    expect(result.exercise.probes).toContainEqual(expect.objectContaining({ port: 8080, kind: 'http', ok: true, status: 200 }));
    expect(result.plan.mounts.map((m) => m.path)).toEqual(['/run/app', '/var/log/app']);
    expect(await leftoversOn(remote, session)).toEqual([]);
  });

  it('says which context is missing, before touching any engine', async () => {
    const r = await runCli([FIXTURE.busybox, '--no-verify'], { session: testSession('remote-missing'), env: { DOCKER_HOST: '', DOCKER_CONTEXT: 'no-such-context', DOCKER_CONFIG: join(dir, 'empty') } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"no-such-context" does not exist');
    expect(r.stderr).toContain('docker context ls');
  });
});
