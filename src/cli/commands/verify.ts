import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';
import { RoProfileError } from '../../errors.js';
import { FORMATS } from '../../emit/emit.js';
import { BASELINE_FLAG, compareWithBaseline, readBaseline, reportBaseline, widenedError } from '../baseline.js';
import { readResultFile } from '../result-file.js';
import type { CleanupScope } from '../../pipeline/cleanup-scope.js';
import { reverify } from '../../pipeline/reverify.js';
import { DockerEngine } from '../../runtime/docker-engine.js';
import { currentIdentity } from '../../runtime/labels.js';
import { parseBytes, parseDuration } from '../durations.js';
import { redactStderr } from '../redacted-stderr.js';
import { redactor } from '../../pipeline/redact.js';
import { reportError, writeResult } from '../output.js';
import { buildRunSpec } from '../passthrough.js';
import { EMIT_FLAGS, emitOptionsOf } from '../shared-flags.js';
import { installRunSignals } from '../signals.js';
import { stderrReporter } from '../stderr-reporter.js';
import { verificationError, verificationExit } from '../verification-exit.js';
import { VERIFY_FORMATS, launcherFor } from '../../verify/launchers.js';

const options = {
  format: { alias: 'f', choices: [...FORMATS, 'all'] as const, default: 'json' as const, describe: 'What to print: the result with its new verification record (json), or a config or report from it' },
  out: { alias: 'o', type: 'string', describe: 'Write files into this directory instead of stdout' },
  ...EMIT_FLAGS,
  ...BASELINE_FLAG,
  'verify-with': { choices: VERIFY_FORMATS, default: 'run' as const, describe: 'Which emitted format to run: run (the docker run line, through the engine), compose (through docker-compose), k8s (the Pod, as Docker runs with kubelet-like emptyDirs)' },
  'stop-timeout': { type: 'string', default: '10s', describe: 'Time between the stop signal and SIGKILL' },
  memory: { type: 'string', default: '1g', describe: 'Memory limit of the verification containers' },
  'pids-limit': { type: 'number', default: 512, describe: 'Process limit of the verification containers' },
  json: { type: 'boolean', default: false, describe: 'Print one JSON object {outcome, result | error}' },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'No progress on stderr' },
  debug: { type: 'boolean', default: false },
} as const;

type VerifyArgs = ArgumentsCamelCase<InferredOptionTypes<typeof options>> & { result: string };

export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify <result>',
  describe: 'Re-verify a saved result against the image its reference names now (exit 0 when the config holds, 7 when not)',
  builder: (y: Argv) =>
    y.positional('result', { type: 'string', demandOption: true, describe: 'A result file written by --format json' }).options(options) as unknown as Argv<VerifyArgs>,
  handler: async (argv) => {
    process.exitCode = await runVerify(argv);
  },
};

async function runVerify(argv: VerifyArgs): Promise<number> {
  const out: { json: boolean; debug: boolean; redact?: (t: string) => string } = { json: argv.json, debug: argv.debug };
  let restoreStderr = () => {};
  const controller = new AbortController();
  let scope: CleanupScope | undefined;
  const identity = currentIdentity();
  const uninstall = installRunSignals(controller, identity, () => scope);
  try {
    if (argv.format === 'all' && argv.out === undefined) throw new RoProfileError('USAGE', '"--format all" needs "--out DIR"', { hint: 'Add --out DIR, or pick one format.' });
    const saved = readResultFile(argv.result);
    const baseline = readBaseline(argv.baseline);
    if (saved.exercise.readiness === 'trace') {
      throw new RoProfileError('USAGE', `"${argv.result}" comes from analyze-strace: it has no exercise to repeat`, { hint: 'Profile the image (ro-profile IMAGE --format json) to get a result that can be verified.' });
    }
    // Values of the saved variables come from this environment and the saved --env-file paths, as for docker run.
    const r = saved.run;
    const { secrets } = buildRunSpec(
      { image: r.image, env: r.env.map((e) => e.name), envFile: r.envFiles, user: r.user, entrypoint: r.entrypoint, volume: r.volumes, mount: r.mounts, publish: r.publish, network: r.network, command: r.command },
      r.exercise,
      process.env,
    );
    // From here on, no value of the saved variables reaches stderr, whoever prints (container output in errors included).
    out.redact = redactor(secrets);
    restoreStderr = redactStderr(out.redact);
    const verified = await reverify({
      engine: new DockerEngine(undefined, { signal: controller.signal }),
      reporter: stderrReporter({ quiet: argv.quiet }),
      signal: controller.signal,
      identity,
      result: saved,
      secrets,
      limits: { memoryBytes: parseBytes('memory', argv.memory), pidsLimit: argv.pidsLimit },
      cwd: process.cwd(),
      stopTimeoutSec: Math.ceil(parseDuration('stop-timeout', argv.stopTimeout) / 1000),
      launcher: launcherFor(argv.verifyWith),
      onScope: (s) => (scope = s),
    });
    if (controller.signal.aborted) throw new RoProfileError('INTERRUPTED', 'Interrupted; everything the run created was removed');
    // The result as verified (and repaired) is what must not widen the baseline.
    const diff = compareWithBaseline(baseline, argv.baseline, verified.result, argv.result);
    if (argv.json && !verified.passed) {
      const err = verificationError(verified.result);
      process.stdout.write(`${JSON.stringify({ outcome: 'error', result: verified.result, error: { code: err.code, message: out.redact(err.message), hint: err.hint } })}\n`);
      process.stderr.write(`ro-profile: ${err.message}\nhint: ${err.hint}\n`);
      return reportBaseline(diff, 7);
    }
    writeResult(verified.result, { format: argv.format, out: argv.out, json: argv.json, emit: { ...emitOptionsOf(argv), ...(diff ? { baseline: diff } : {}) }, failure: diff && widenedError(diff) });
    return reportBaseline(diff, verificationExit(verified.result));
  } catch (e) {
    if (controller.signal.aborted) return reportError(new RoProfileError('INTERRUPTED', 'Interrupted; everything the run created was removed'), out);
    return reportError(e, out);
  } finally {
    uninstall();
    restoreStderr();
  }
}
