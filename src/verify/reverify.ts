import type { Result } from '../model/result.js';
import type { LaunchSecrets } from '../model/run-spec.js';
import type { Engine } from '../runtime/engine.js';
import { createLabels, type SessionIdentity } from '../runtime/labels.js';
import { RoProfileError } from '../errors.js';
import { logFilesOf, redactVerification } from './evidence.js';
import type { Launcher } from './launcher.js';
import { observeWritable } from './observe.js';
import { verifyResult } from './verify.js';
import { CleanupScope } from '../pipeline/cleanup-scope.js';
import type { LaunchLimits } from '../pipeline/launch-spec.js';
import { redactor } from '../pipeline/redact.js';
import type { Reporter } from '../pipeline/reporter.js';
import { startRun } from '../pipeline/run-start.js';

export interface ReverifyOptions {
  readonly engine: Engine;
  readonly reporter: Reporter;
  readonly signal: AbortSignal;
  readonly identity: SessionIdentity;
  readonly result: Result;
  readonly secrets: LaunchSecrets;
  readonly limits: LaunchLimits;
  readonly cwd: string;
  readonly stopTimeoutSec: number;
  readonly launcher: Launcher;
  readonly onScope?: (scope: CleanupScope) => void;
}

/**
 * `ro-profile verify RESULT.json`: the saved config against the image its reference names now
 * (a CI gate after an upgrade). The image runs once writable, with the saved pass-through and
 * exercise, and once under the saved config (then restarted); no repair, the result says what
 * differed and which paths the new log lines name.
 */
export async function reverify(o: ReverifyOptions): Promise<{ result: Result; passed: boolean; previousId?: string }> {
  const { engine, reporter, signal } = o;
  const started = await startRun(o, o.result.run.image);
  await using scope = started.scope;
  const { engineInfo, image } = started;
  const changed = image.id !== o.result.image.id;
  if (changed) reporter.warn(`"${o.result.run.image}" now resolves to ${image.id.slice(7, 19)}; the result was made from ${o.result.image.id.slice(7, 19)}`);
  const labels = createLabels(o.identity, 'verify');
  const ctx = { engine, engineInfo, image, run: o.result.run, secrets: o.secrets, limits: o.limits, cwd: o.cwd, labels, stopTimeoutSec: o.stopTimeoutSec, signal, scope };
  const baseline = await observeWritable(ctx, logFilesOf(o.result));
  // Not ready is a failure whatever the exit code: a finished job is ready (exit 0), and a non-zero exit before ready is exit 5.
  if (!baseline.ready) {
    throw new RoProfileError('CONTAINER_FAILED', `"${image.ref}" does not run even with a writable root: ${baseline.failure ?? 'not ready'}`, {
      hint: 'Profile the image again; the saved exercise no longer fits it.',
    });
  }
  reporter.stage('baseline', `the writable run: ${baseline.jobExitCode !== undefined ? `job exit code ${baseline.jobExitCode}` : `${baseline.probes.length} probe(s), ${baseline.execs.length} exec step(s)`}`);
  const runtimeVersion = (await o.launcher.version()) || engineInfo.version;
  const verified = await verifyResult({ ...o.result, image, verification: [] }, { ctx, reporter, baseline, maxRounds: 1, leaveOneOutBudget: 0, viewLabels: labels, launcher: o.launcher, runtimeVersion });
  const result = redactVerification({ ...verified.result, verification: [...o.result.verification, ...verified.result.verification] }, redactor(o.secrets));
  return { result, passed: verified.passed, ...(changed ? { previousId: o.result.image.id } : {}) };
}
