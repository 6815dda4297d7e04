import { composeCommand, runCompose, uniqueProjectName as uniqueName, withoutComposeEnv, type ComposeRun } from '../../src/runtime/compose-cli.js';
import { docker } from './cli.js';

export type { ComposeRun };

/** Is a `docker-compose` (Debian's 1.29 here; .ci/run installs it) on the PATH? */
export function composeAvailable(): boolean {
  return composeCommand() !== undefined;
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

/** A project name unique to this process and call, marked as the tests'. */
export function uniqueProjectName(label: string): string {
  return uniqueName(`rpt-${label}`);
}

export function composeProject(label: string, files: readonly string[]): ComposeProject {
  const name = uniqueProjectName(label);
  // No COMPOSE_* from the developer's shell: -p and -f say everything.
  const run = (args: readonly string[]): Promise<ComposeRun> => runCompose(['-p', name, ...files.flatMap((f) => ['-f', f]), ...args], { env: withoutComposeEnv(process.env) });
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
    down: () => run(['down', '-v', '--remove-orphans', '-t', '2']).catch((e: unknown) => ({ code: null, stdout: '', stderr: String(e) })),
    async containers() {
      const list = await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${name}`] } });
      return list.map((c) => c.Id);
    },
  };
}
