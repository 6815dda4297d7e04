import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { RoProfileError } from '../errors.js';
import { loadExeca } from './lazy-execa.js';

/**
 * docker-compose, through its CLI: the engine API cannot read a compose file. Used by
 * `--verify-with compose` and by the tests that run printed compose files.
 */

/** What one docker-compose call gave: its exit code (null when it was killed or never ran), stdout and stderr. */
export interface ComposeRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Where docker-compose is, looked up on this process's own PATH: the child's environment may
 * carry the app's variables (a PATH of its own among them), which must not decide what runs.
 */
export function composeCommand(path = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, 'docker-compose');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // Not in this directory: try the next.
    }
  }
  return undefined;
}

/** The environment without COMPOSE_* from the user's shell: -p and -f say everything. */
export function withoutComposeEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !k.startsWith('COMPOSE_')) out[k] = v;
  return out;
}

let serial = 0;

/** A project name unique to this process and call; compose 1.29 keeps only [a-z0-9_-]. */
export function uniqueProjectName(label: string): string {
  serial += 1;
  return `${label}-${process.pid}-${serial}-${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
}

/**
 * Runs docker-compose with exactly `env` and hands back how it ended: a non-zero exit is the
 * caller's to judge. Throws USAGE when docker-compose is not installed.
 */
export async function runCompose(args: readonly string[], o: { readonly env: Record<string, string>; readonly timeoutMs?: number; readonly signal?: AbortSignal }): Promise<ComposeRun> {
  const file = composeCommand();
  if (!file) throw new RoProfileError('USAGE', 'docker-compose is not installed here', { hint: 'Install docker-compose (Debian: apt-get install docker-compose).' });
  const execa = await loadExeca();
  const r = await execa(file, args, {
    env: o.env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: o.timeoutMs ?? 120_000,
    maxBuffer: 16 * 1024 * 1024,
    ...(o.signal ? { cancelSignal: o.signal } : {}),
  });
  // Killed, timed out or never started: no exit code, and the message says why.
  return { code: r.exitCode ?? null, stdout: r.stdout, stderr: r.exitCode === undefined ? `${r.stderr}${r.message}` : r.stderr };
}
