import { RoProfileError } from '../../errors.js';
import { analyzeTrace } from '../../pipeline/analyze-trace.js';
import { readStraceFiles } from '../../strace/read-strace.js';
import { absolutePaths, emitOptionsOf, volumePrefixOf } from '../shared-flags.js';
import { reportError, writeResult } from '../output.js';
import { stderrReporter } from '../stderr-reporter.js';
import { toolVersion } from '../version.js';
import type { Args } from '../commands/analyze-strace.js';
import { openRunSession } from '../session.js';

/** `ro-profile analyze-strace FILES`: strace logs to write events, and with --image to a result; sets the exit code. */
export async function runAnalyzeStrace(argv: Args): Promise<void> {
  using session = openRunSession({ interrupted: 'Interrupted' });
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
      engine: session.engine,
      reporter,
      signal: session.signal,
      identity: session.identity,
      imageRef: argv.image,
      events: trace.events,
      persist: absolutePaths('persist', argv.persist),
      ephemeral: absolutePaths('ephemeral', argv.ephemeral),
      ...volumePrefixOf(argv.volumePrefix),
      toolVersion: toolVersion(),
      onScope: session.onScope,
    });
    writeResult(result, { format: argv.format, out: argv.out, json: argv.json, emit: emitOptionsOf(argv) });
    process.exitCode = 0;
  } catch (e) {
    process.exitCode = reportError(session.failure(e), { json: argv.json, debug: argv.debug });
  }
}
