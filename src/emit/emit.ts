import { RoProfileError } from '../errors.js';
import type { Result } from '../model/result.js';
import { emitCompose, type ComposeOptions } from './compose.js';
import { emitDockerRun } from './docker-run.js';
import { emitK8s, type K8sOptions } from './k8s.js';
import { emitReport } from './report.js';
import { oneLine } from './one-line.js';
import { hardeningCommentLines } from './process-settings.js';
import { emitResultJson } from './result-json.js';
import { logCommentLines } from './log-advice.js';
import { emitJunit } from './junit.js';
import { emitSarif } from './sarif.js';
import type { ResultDiff } from '../compare/diff-model.js';

/** The comment lines above a config: its process settings and why, then where its logs go. */
function logComments(result: Result): string {
  return [...hardeningCommentLines(result), ...logCommentLines(result)].join('');
}

import type { Format } from './formats.js';
export { FORMATS, type Format } from './formats.js';

/** Renders one format from a result; pure, so `emit RESULT.json` gives the same bytes as a live run. */
export interface EmitOptions {
  readonly compose: ComposeOptions;
  readonly k8s: K8sOptions;
  /** --baseline: the comparison with the baseline result, which sarif and junit report along with the result. */
  readonly baseline?: ResultDiff;
}

export const DEFAULT_EMIT: EmitOptions = { compose: { override: false }, k8s: { kind: 'pod', patch: false, memory: false } };

export function emitFormat(result: Result, format: Format, options: EmitOptions = DEFAULT_EMIT): string {
  switch (format) {
    case 'run':
      return unverifiedHeader(result) + logComments(result) + emitDockerRun(result.run, result.plan.mounts, result.limits, result.hardening);
    case 'compose':
      return unverifiedHeader(result) + logComments(result) + emitCompose(result, options.compose);
    case 'k8s':
      return unverifiedHeader(result) + logComments(result) + emitK8s(result, options.k8s);
    case 'json':
      return emitResultJson(result);
    case 'report':
      return emitReport(result);
    case 'sarif':
      return emitSarif(result, options.baseline);
    case 'junit':
      return emitJunit(result, options.baseline);
    default: {
      const never: never = format;
      throw new RoProfileError('USAGE', `unknown format "${String(never)}"`);
    }
  }
}

/**
 * A config whose last verification failed still prints (the contract: exit 7 with the last
 * config tried), under a comment that says so; shell and YAML both read `#` as a comment.
 */
export function unverifiedHeader(result: Result): string {
  // Exit 8: not run at all, since a required write lands in a system tree no mount may cover.
  const blocking = result.findings.filter((f) => f.kind === 'system-write' && f.severity === 'error');
  if (blocking.length > 0) {
    return `# UNVERIFIED: this config cannot run read-only as is: the app writes straight into ${blocking.map((f) => f.path).join(', ')}, which no mount may cover (see the findings in the report); it was not run\n`;
  }
  const last = result.verification.at(-1);
  if (last?.result !== 'fail') return '';
  const h = result.hardening;
  const missed = h && !h.verified ? h.rejected.find((x) => x.level === h.level) : undefined;
  if (missed) return `# UNVERIFIED: under --harden ${missed.level}, ${oneLine(missed.setting)} broke it (${oneLine(missed.message)}); the mounts verified with ${last.format} on ${last.runtime} ${last.version}; see the report\n`;
  const failed = last.rounds.at(-1);
  const why = failed?.differences[0]?.message ?? 'it did not run as the writable run did';
  return `# UNVERIFIED: under this config ${oneLine(why)} (ro-profile verification with ${last.format} on ${last.runtime} ${last.version}; see the report)\n`;
}
