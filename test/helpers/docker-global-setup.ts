import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import type { TestProject } from 'vitest/node';
import { LABEL_SESSION } from '../../src/runtime/labels.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Once per integration run: is there an engine? With CI=true a missing engine fails the run,
 * elsewhere the suites skip (and say so). Then build the fixture images (a no-op when their
 * build files are unchanged), and at the end remove anything this run's session left.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const session = process.env['RO_PROFILE_TEST_SESSION'] ?? `test-${process.pid}-${Date.now().toString(36)}`;
  project.provide('session', session);
  const docker = new Docker();
  let available = false;
  let why = '';
  try {
    await docker.ping();
    available = true;
  } catch (e) {
    why = e instanceof Error ? e.message : String(e);
  }
  if (!available && process.env['CI'] === 'true') {
    throw new Error(`CI=true and no Docker engine answers (${why}); .ci/run must start one`);
  }
  project.provide('dockerAvailable', available);
  // The compose and Kubernetes suites run what one profile of each fixture printed: profiled once.
  const profileCache = mkdtempSync(join(tmpdir(), 'ro-profile-test-profiles-'));
  project.provide('profileCache', profileCache);
  if (available) {
    execFileSync('bash', [`${root}/test/fixtures/images/build.sh`], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return async () => {
    rmSync(profileCache, { recursive: true, force: true });
    removePodmanLeftovers(session);
    if (!available) return;
    const filters = { label: [`${LABEL_SESSION}=${session}`] };
    for (const c of await docker.listContainers({ all: true, filters })) {
      await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
    }
    for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) {
      await docker.getVolume(v.Name).remove().catch(() => undefined);
    }
  };
}

/**
 * Pods and claim volumes that test/helpers/k8s-run.ts played under podman and could not remove
 * (its process was killed): they carry the session label of a test in this run.
 */
function removePodmanLeftovers(session: string): void {
  const ours = (labels: Record<string, string> | null | undefined): boolean => {
    const s = labels?.[LABEL_SESSION];
    return s !== undefined && (s === session || s.startsWith(`${session}-`));
  };
  const podman = (args: string[]): string => execFileSync('podman', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const pods = JSON.parse(podman(['pod', 'ps', '--format', 'json']) || '[]') as { Id: string; Labels?: Record<string, string> }[];
    for (const p of pods.filter((p) => ours(p.Labels))) podman(['pod', 'rm', '-f', '-t', '1', p.Id]);
    const volumes = JSON.parse(podman(['volume', 'ls', '--format', 'json']) || '[]') as { Name: string; Labels?: Record<string, string> }[];
    for (const v of volumes.filter((v) => ours(v.Labels))) podman(['volume', 'rm', '-f', v.Name]);
  } catch {
    // No podman, or it failed: nothing of ours can be there, or nothing more can be done.
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    session: string;
    dockerAvailable: boolean;
    /** Where fixtures profiled once per run keep their --out directories (profiled-fixtures.ts). */
    profileCache: string;
  }
}
