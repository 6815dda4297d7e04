import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * A machine-readable trace of the stage times for benchmarks (bench/overhead.mjs): with
 * RO_PROFILE_STAGE_LOG=FILE, each stage the reporter is told of appends one JSON line
 * `{"stage","ms","atMs"}` to FILE, and the process's exit appends `{"stage":"exit","atMs"}`.
 * `atMs` counts from Node's time origin (process start), so what comes before the first stage
 * (module loading) and after the last (cleanup, output) shows too. Off by default: stdout,
 * stderr and the result stay as the contract has them.
 */
let exitHooked = false;

export function stageLog(env: NodeJS.ProcessEnv = process.env): ((stage: string, ms: number | undefined) => void) | undefined {
  const file = env['RO_PROFILE_STAGE_LOG'];
  if (!file) return undefined;
  const at = () => Math.round(performance.now() * 10) / 10;
  const append = (line: object) => {
    try {
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // A benchmark's aid: a file that cannot be written never fails the run.
    }
  };
  // Once per process, however many reporters a batch makes.
  if (!exitHooked) process.once('exit', () => append({ stage: 'exit', atMs: at() }));
  exitHooked = true;
  return (stage, ms) => append({ stage, ...(ms !== undefined ? { ms } : {}), atMs: at() });
}
