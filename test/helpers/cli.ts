import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { inject } from 'vitest';
import { LABEL_SESSION } from '../../src/runtime/labels.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = `${ROOT}dist/cli/main.js`;

export const FIXTURE = {
  busybox: 'ro-profile-fixture/busybox-app:latest',
  nginx: 'ro-profile-fixture/nginx:latest',
  redis: 'ro-profile-fixture/redis:latest',
  base: 'ro-profile-fixture/base:latest',
} as const;

export const docker = new Docker();

export function dockerAvailable(): boolean {
  return inject('dockerAvailable');
}

/** A session id per test, so a test can check that nothing of its own was left behind. */
export function testSession(name: string): string {
  return `${inject('session')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
}

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
}

/** Runs the built CLI as a user would. */
export function runCli(args: readonly string[], options: { session: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string }): Promise<CliRun> {
  requireBuild();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: { ...process.env, RO_PROFILE_SESSION: options.session, ...options.env },
        timeout: options.timeoutMs ?? 170_000,
        maxBuffer: 64 * 1024 * 1024,
        ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: number | string; signal?: NodeJS.Signals }) | null;
        resolve({
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          signal: e?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

/** Starts the CLI and hands back the process, for tests that signal it mid-run. */
export function spawnCli(args: readonly string[], options: { session: string }): ChildProcess {
  requireBuild();
  return spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, RO_PROFILE_SESSION: options.session },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Everything on the engine that carries the session label. */
export async function leftovers(session: string): Promise<string[]> {
  const filters = { label: [`${LABEL_SESSION}=${session}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const volumes = (await docker.listVolumes({ filters })).Volumes ?? [];
  const networks = await docker.listNetworks({ filters });
  return [...containers.map((c) => `container ${c.Id.slice(0, 12)}`), ...volumes.map((v) => `volume ${v.Name}`), ...networks.map((n) => `network ${n.Id.slice(0, 12)}`)];
}
