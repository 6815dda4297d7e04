import { execFile, spawnSync } from 'node:child_process';
import { docker } from './cli.js';

/** Is a `docker-compose` (Debian's 1.29 here; .ci/run installs it) on the PATH? */
export function composeAvailable(): boolean {
  return spawnSync('docker-compose', ['version', '--short'], { stdio: 'ignore' }).status === 0;
}

export interface ComposeRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** One compose project: its own name (so parallel runs stay apart) and its -f files, in order. */
export interface ComposeProject {
  readonly name: string;
  readonly files: readonly string[];
  run(args: readonly string[]): Promise<ComposeRun>;
  /** `up -d`; throws with compose's output when it fails. */
  up(): Promise<void>;
  /** `down -v --remove-orphans`, never throwing: a caller's finally must go on to its other cleanup. */
  down(): Promise<ComposeRun>;
  /** Ids of the project's containers, running or not. */
  containers(): Promise<string[]>;
}

let serial = 0;

/** A project name unique to this process and call: compose 1.29 keeps [a-z0-9_-]. */
export function uniqueProjectName(label: string): string {
  serial += 1;
  return `rpt-${label}-${process.pid}-${serial}-${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
}

export function composeProject(label: string, files: readonly string[]): ComposeProject {
  const name = uniqueProjectName(label);
  const run = (args: readonly string[]): Promise<ComposeRun> =>
    new Promise((resolve) => {
      execFile(
        'docker-compose',
        ['-p', name, ...files.flatMap((f) => ['-f', f]), ...args],
        // No COMPOSE_* from the developer's shell: -p and -f say everything.
        { env: withoutComposeEnv(process.env), timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
          resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, stderr });
        },
      );
    });
  return {
    name,
    files,
    run,
    async up() {
      const r = await run(['up', '-d']);
      if (r.code !== 0) throw new Error(`docker-compose up failed (${String(r.code)}):\n${r.stderr}${r.stdout}`);
    },
    // -t 2: the stop signal still goes first (shutdown writes happen under the hardening too),
    // but a container that ignores it does not hold the suite for 10 s.
    down: () => run(['down', '-v', '--remove-orphans', '-t', '2']),
    async containers() {
      const list = await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${name}`] } });
      return list.map((c) => c.Id);
    },
  };
}

function withoutComposeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('COMPOSE_')));
}
