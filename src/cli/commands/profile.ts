import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';
import { RoProfileError } from '../../errors.js';
import type { Result } from '../../model/result.js';
import { FORMATS } from '../../emit/emit.js';
import { DockerEngine } from '../../runtime/docker-engine.js';
import { currentIdentity } from '../../runtime/labels.js';
import { profileImage } from '../../pipeline/profile.js';
import type { CleanupScope } from '../../pipeline/cleanup-scope.js';
import { parseBytes, parseDuration } from '../durations.js';
import { EXIT } from '../exit-codes.js';
import { ANALYSIS_FLAGS, EMIT_FLAGS, absolutePaths, emitOptionsOf } from '../shared-flags.js';
import { reportError, writeResult } from '../output.js';
import { buildRunSpec } from '../passthrough.js';
import { installSignalHandlers } from '../signals.js';
import { stderrReporter } from '../stderr-reporter.js';
import { toolVersion } from '../version.js';

const options = {
  env: { alias: 'e', type: 'string', array: true, default: [] as string[], describe: 'Set a variable (NAME=VALUE, or NAME to take it from your environment); outputs name it, never its value', group: 'Run options (passed through):' },
  'env-file': { type: 'string', array: true, default: [] as string[], describe: 'Read variables from a file; outputs repeat --env-file FILE', group: 'Run options (passed through):' },
  user: { alias: 'u', type: 'string', describe: 'Run as this user (name|uid[:group|gid])', group: 'Run options (passed through):' },
  entrypoint: { type: 'string', describe: "Override the image's entrypoint", group: 'Run options (passed through):' },
  volume: { alias: 'v', type: 'string', array: true, default: [] as string[], describe: 'Mount a volume (SRC:DST[:OPTS]); writes below it count as covered', group: 'Run options (passed through):' },
  mount: { type: 'string', array: true, default: [] as string[], describe: 'Attach a mount (docker --mount syntax)', group: 'Run options (passed through):' },
  publish: { alias: 'p', type: 'string', array: true, default: [] as string[], describe: 'Publish a port in the output (profiling itself publishes on 127.0.0.1 only)', group: 'Run options (passed through):' },
  network: { type: 'string', describe: 'Connect to this network', group: 'Run options (passed through):' },
  exec: { type: 'string', array: true, default: [] as string[], describe: 'Run a command inside the container (sh -c) as part of the exercise; repeatable', group: 'Exercise:' },
  duration: { type: 'string', default: '0', describe: 'Keep it running this long after the exercise (e.g. 30s)', group: 'Exercise:' },
  timeout: { type: 'string', default: '60s', describe: 'Give up when it is not ready after this long', group: 'Exercise:' },
  settle: { type: 'string', default: '2s', describe: 'Wait this long for an image with no port and no healthcheck', group: 'Exercise:' },
  'stop-timeout': { type: 'string', default: '10s', describe: 'Time between the stop signal and SIGKILL', group: 'Exercise:' },
  memory: { type: 'string', default: '1g', describe: 'Memory limit of the profiling container', group: 'Exercise:' },
  'pids-limit': { type: 'number', default: 512, describe: 'Process limit of the profiling container', group: 'Exercise:' },
  ...ANALYSIS_FLAGS,
  format: { alias: 'f', choices: [...FORMATS, 'all'] as const, default: 'run' as const, describe: 'What to print', group: 'Output:' },
  out: { alias: 'o', type: 'string', describe: 'Write files into this directory instead of stdout', group: 'Output:' },
  ...EMIT_FLAGS,
  json: { type: 'boolean', default: false, describe: 'Print one JSON object {outcome, result | error} for scripts', group: 'Output:' },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'No progress on stderr', group: 'Output:' },
  debug: { type: 'boolean', default: false, describe: 'Show stacks and causes of errors', group: 'Output:' },
} as const;

type ProfileArgs = ArgumentsCamelCase<InferredOptionTypes<typeof options>> & { image: string; '--'?: (string | number)[] };

export const profileCommand: CommandModule<object, ProfileArgs> = {
  command: '$0 <image>',
  describe: 'Profile what IMAGE writes and print a read-only config for it (command after --)',
  builder: (y: Argv) =>
    y
      .positional('image', { type: 'string', describe: 'Image reference, e.g. nginx:alpine', demandOption: true })
      .options(options)
      .example('$0 nginx:alpine', 'print a hardened docker run line')
      .example("$0 redis:7 --exec 'redis-cli SET k v' --exec 'redis-cli SAVE'", 'exercise it while profiling')
      .example('$0 myjob:1 -e TOKEN --format json -- --once', 'a job with a secret, a command after --') as unknown as Argv<ProfileArgs>,
  handler: async (argv) => {
    process.exitCode = await runProfile(argv);
  },
};

async function runProfile(argv: ProfileArgs): Promise<number> {
  const out = { json: argv.json, debug: argv.debug };
  const controller = new AbortController();
  let scope: CleanupScope | undefined;
  const uninstall = installSignalHandlers({ controller, leftovers: () => scope?.pending() ?? [], write: (l) => process.stderr.write(`${l}\n`) });
  try {
    if (argv.format === 'all' && argv.out === undefined) {
      throw new RoProfileError('USAGE', '"--format all" needs "--out DIR"', { hint: 'Add --out DIR, or pick one format.' });
    }
    const exercise = {
      execs: argv.exec,
      durationMs: parseDuration('duration', argv.duration),
      timeoutMs: parseDuration('timeout', argv.timeout),
      settleMs: parseDuration('settle', argv.settle),
    };
    const { run, secrets } = buildRunSpec(
      {
        image: argv.image,
        env: argv.env,
        envFile: argv.envFile,
        user: argv.user,
        entrypoint: argv.entrypoint,
        volume: argv.volume,
        mount: argv.mount,
        publish: argv.publish,
        network: argv.network,
        command: (argv['--'] ?? []).map(String),
      },
      exercise,
      process.env,
    );
    const result = await profileImage({
      engine: new DockerEngine(),
      reporter: stderrReporter({ quiet: argv.quiet }),
      signal: controller.signal,
      identity: currentIdentity(),
      run,
      secrets,
      limits: { memoryBytes: parseBytes('memory', argv.memory), pidsLimit: argv.pidsLimit },
      cwd: process.cwd(),
      toolVersion: toolVersion(),
      persist: absolutePaths('persist', argv.persist),
      ephemeral: absolutePaths('ephemeral', argv.ephemeral),
      stopTimeoutSec: Math.ceil(parseDuration('stop-timeout', argv.stopTimeout) / 1000),
      onScope: (s) => (scope = s),
    });
    if (controller.signal.aborted) throw new RoProfileError('INTERRUPTED', 'Interrupted; everything the run created was removed');
    return finish(result, argv);
  } catch (e) {
    if (controller.signal.aborted) {
      return reportError(new RoProfileError('INTERRUPTED', 'Interrupted; everything the run created was removed'), out);
    }
    return reportError(e, out);
  } finally {
    uninstall();
  }
}

/** Prints the artifact; a required write into a system tree still prints, then exits 8. */
function finish(result: Result, argv: ProfileArgs): number {
  const blocking = result.findings.filter((f) => f.kind === 'system-write' && f.severity === 'error');
  if (blocking.length > 0 && argv.json) {
    const err = cannotRunReadOnly(blocking.map((f) => f.path));
    process.stdout.write(`${JSON.stringify({ outcome: 'error', result, error: { code: err.code, message: err.message, hint: err.hint } })}\n`);
    process.stderr.write(`ro-profile: ${err.message}\nhint: ${err.hint}\n`);
    return EXIT.cannotRunReadOnly;
  }
  writeResult(result, { format: argv.format, out: argv.out, json: argv.json, emit: emitOptionsOf(argv) });
  if (blocking.length > 0) {
    const err = cannotRunReadOnly(blocking.map((f) => f.path));
    process.stderr.write(`ro-profile: ${err.message}\nhint: ${err.hint}\n`);
    return EXIT.cannotRunReadOnly;
  }
  return EXIT.ok;
}

function cannotRunReadOnly(paths: readonly string[]): RoProfileError {
  return new RoProfileError('CANNOT_RUN_READ_ONLY', `the image writes straight into ${paths.join(', ')}, which cannot become a writable mount`, {
    hint: 'See the findings (--format json): point those writes at a directory of their own, then profile again.',
  });
}
