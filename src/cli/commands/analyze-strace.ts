import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';
import { RoProfileError } from '../../errors.js';
import { FORMATS } from '../../emit/emit.js';
import { analyzeTrace } from '../../pipeline/analyze-trace.js';
import type { CleanupScope } from '../../pipeline/cleanup-scope.js';
import { DockerEngine } from '../../runtime/docker-engine.js';
import { currentIdentity } from '../../runtime/labels.js';
import { readStraceFiles } from '../../strace/read-strace.js';
import { ANALYSIS_FLAGS, EMIT_FLAGS, absolutePaths, emitOptionsOf, volumePrefixOf } from '../shared-flags.js';
import { reportError, writeResult } from '../output.js';
import { installRunSignals } from '../signals.js';
import { stderrReporter } from '../stderr-reporter.js';
import { toolVersion } from '../version.js';

const options = {
  image: { type: 'string', describe: 'The image the trace was taken from: inspected (never run) to resolve its symlinks and read what it ships', group: 'Analysis:' },
  ...ANALYSIS_FLAGS,
  format: { alias: 'f', choices: [...FORMATS, 'all'] as const, default: 'json' as const, describe: 'What to print', group: 'Output:' },
  out: { alias: 'o', type: 'string', describe: 'Write files into this directory instead of stdout', group: 'Output:' },
  ...EMIT_FLAGS,
  json: { type: 'boolean', default: false, describe: 'Print one JSON object {outcome, result | error}', group: 'Output:' },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'No progress on stderr', group: 'Output:' },
  debug: { type: 'boolean', default: false, group: 'Output:' },
} as const;

type Args = ArgumentsCamelCase<InferredOptionTypes<typeof options>> & { files: string[] };

export const analyzeStraceCommand: CommandModule<object, Args> = {
  command: 'analyze-strace <files..>',
  describe: 'Turn strace logs (strace -f -y -o FILE, or -ff per-pid files) into write events, and with --image into a config',
  builder: (y: Argv) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'strace output files' })
      .options(options)
      .example('$0 analyze-strace trace.log --image nginx:alpine --format run', 'a docker run line from a trace') as unknown as Argv<Args>,
  handler: async (argv) => {
    const controller = new AbortController();
    let scope: CleanupScope | undefined;
    const identity = currentIdentity();
    const uninstall = installRunSignals(controller, identity, () => scope);
    const reporter = stderrReporter({ quiet: argv.quiet });
    try {
      if (argv.format === 'all' && argv.out === undefined) {
        throw new RoProfileError('USAGE', '"--format all" needs "--out DIR"', { hint: 'Add --out DIR, or pick one format.' });
      }
      if (argv.image === undefined && argv.format !== 'json') {
        throw new RoProfileError('USAGE', `"--format ${argv.format}" needs "--image IMAGE"`, {
          hint: 'Name the image the trace was taken from: the analysis reads its directories and symlinks (it is not run).',
        });
      }
      const trace = await readStraceFiles(argv.files);
      reporter.stage('parse', `${trace.stats.lines} lines, ${trace.stats.parsed} parsed, ${trace.events.length} write events`);
      if (trace.stats.malformed > 0) {
        reporter.warn(`${trace.stats.malformed} line(s) could not be read, for example:\n  ${trace.stats.examples.join('\n  ')}`);
      }
      if (argv.image === undefined) {
        // No image, no Result: the events themselves (in the envelope with --json).
        const events = { events: trace.events, stats: trace.stats };
        process.stdout.write(argv.json ? `${JSON.stringify({ outcome: 'success', result: events })}\n` : `${JSON.stringify(events, null, 2)}\n`);
        process.exitCode = 0;
        return;
      }
      const result = await analyzeTrace({
        engine: new DockerEngine(undefined, { signal: controller.signal }),
        reporter,
        signal: controller.signal,
        identity,
        imageRef: argv.image,
        events: trace.events,
        persist: absolutePaths('persist', argv.persist),
        ephemeral: absolutePaths('ephemeral', argv.ephemeral),
        ...volumePrefixOf(argv.volumePrefix),
        toolVersion: toolVersion(),
        onScope: (s) => (scope = s),
      });
      writeResult(result, { format: argv.format, out: argv.out, json: argv.json, emit: emitOptionsOf(argv) });
      process.exitCode = 0;
    } catch (e) {
      process.exitCode = reportError(controller.signal.aborted ? new RoProfileError('INTERRUPTED', 'Interrupted') : e, { json: argv.json, debug: argv.debug });
    } finally {
      uninstall();
    }
  },
};
