import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import Docker from 'dockerode';
import { LABEL_SESSION } from '../../src/runtime/labels.js';
import { ROOT } from './cli.js';

/** The "remote" engine of test/fixtures/engines/remote-engine.sh (its own network namespace, TCP only). */
export const REMOTE_HOST = 'tcp://10.203.0.2:2375';
/** Where remote-engine.sh keeps its sshd's keys (the client key is id_ed25519). */
export const SSH_DIR = '/tmp/rp-remote-ssh';
const SCRIPT = `${ROOT}test/fixtures/engines/remote-engine.sh`;

/** Starts the remote engine (idempotent) with `images` copied onto it. */
export function startRemoteEngine(images: readonly string[]): string {
  return execFileSync('bash', [SCRIPT, 'start'], { env: { ...process.env, RP_REMOTE_IMAGES: images.join(' ') }, encoding: 'utf8', timeout: 240_000 }).trim();
}

export function stopRemoteEngine(): void {
  execFileSync('bash', [SCRIPT, 'stop'], { stdio: 'ignore', timeout: 60_000 });
}

/** Podman's Docker-compatible API on a socket of the test's own, until stop(). */
export async function startPodmanService(socket: string, images: readonly string[]): Promise<{ stop: () => Promise<void> }> {
  rmSync(socket, { force: true });
  const child: ChildProcess = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], { stdio: 'ignore' });
  const api = new Docker({ socketPath: socket });
  for (let i = 0; i < 100; i++) {
    if (existsSync(socket) && (await api.ping().then(() => true, () => false))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await api.ping();
  for (const img of images) execFileSync('bash', ['-c', `docker save "${img}" | podman load`], { stdio: 'ignore', timeout: 120_000 });
  return {
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(socket, { force: true });
    },
  };
}

/** What a session left on an engine other than the default one. */
export async function leftoversOn(api: Docker, session: string): Promise<string[]> {
  const filters = { label: [`${LABEL_SESSION}=${session}`] };
  const containers = await api.listContainers({ all: true, filters });
  const volumes = (await api.listVolumes({ filters })).Volumes ?? [];
  return [...containers.map((c) => `container ${c.Id.slice(0, 12)} (${c.Labels['io.ro-profile.role'] ?? ''})`), ...volumes.map((v) => `volume ${v.Name}`)];
}
