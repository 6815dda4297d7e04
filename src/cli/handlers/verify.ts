import { RoProfileError } from '../../errors.js';
import { compareWithBaseline, readBaseline, reportBaseline, widenedError } from '../baseline.js';
import { readResultFile } from '../result-file.js';
import { reverify } from '../../verify/reverify.js';
import { parseBytes, parseDuration } from '../durations.js';
import { redactStderr } from '../redacted-stderr.js';
import { redactor } from '../../pipeline/redact.js';
import { reportError, writeResult } from '../output.js';
import { buildRunSpec } from '../passthrough.js';
import { emitOptionsOf } from '../shared-flags.js';
import { stderrReporter } from '../stderr-reporter.js';
import { verificationError, verificationExit } from '../verification-exit.js';
import { launcherFor } from '../../verify/launchers.js';
import type { VerifyArgs } from '../commands/verify.js';
import { openRunSession } from '../session.js';

/** `ro-profile verify RESULT`: re-verifies a saved result and returns the exit code (7 when it no longer holds). */
export async function runVerify(argv: VerifyArgs): Promise<number> {
  const out: { json: boolean; debug: boolean; redact?: (t: string) => string } = { json: argv.json, debug: argv.debug };
  let restoreStderr = () => {};
  using session = openRunSession({ interrupted: 'Interrupted; everything the run created was removed' });
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
      engine: session.engine,
      reporter: stderrReporter({ quiet: argv.quiet }),
      signal: session.signal,
      identity: session.identity,
      result: saved,
      secrets,
      limits: { memoryBytes: parseBytes('memory', argv.memory), pidsLimit: argv.pidsLimit },
      cwd: process.cwd(),
      stopTimeoutSec: Math.ceil(parseDuration('stop-timeout', argv.stopTimeout) / 1000),
      launcher: launcherFor(argv.verifyWith),
      onScope: session.onScope,
    });
    session.throwIfInterrupted();
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
    return reportError(session.failure(e), out);
  } finally {
    restoreStderr();
  }
}
