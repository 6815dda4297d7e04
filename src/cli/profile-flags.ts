import { RoProfileError } from '../errors.js';
import type { HardenRequest } from '../model/hardening.js';
import type { Result, ResultProfile } from '../model/result.js';
import type { ExerciseSpec, RunSpec } from '../model/run-spec.js';
import type { LimitPolicy } from '../model/usage.js';
import type { ProfileOptions } from '../pipeline/profile.js';
import { DEFAULT_TRACER_BASE } from '../trace/tracer-choices.js';
import type { TraceMethod } from '../trace/tracer.js';
import { launcherFor, type VerifyFormat } from '../verify/launchers.js';
import { verifierFor } from '../verify/verifier.js';
import { liveTracer } from '../trace/live-tracer.js';
import { parseBytes, parseDuration } from './durations.js';
import { verificationError } from './verification-exit.js';

/**
 * The flags of a profiling run that are not about one image (exercise timings, limits,
 * verification, tracing, hardening), turned into pipeline options: shared by `profile` and
 * `batch`, so a catalogue is profiled exactly as one image is.
 */
export interface PipelineFlags {
  readonly memory: string;
  readonly pidsLimit: number;
  readonly stopTimeout: string;
  readonly verify: boolean;
  readonly verifyWith?: VerifyFormat | undefined;
  readonly maxRounds: number;
  readonly leaveOneOut: number;
  readonly tracer: 'none' | 'strace';
  readonly tracerMethod?: TraceMethod | undefined;
  readonly tracerImage?: string | undefined;
  readonly tracerBase?: string | undefined;
  readonly limits: LimitPolicy;
  readonly headroom?: number | undefined;
  readonly harden: HardenRequest;
}

export function checkTracerFlags(argv: Pick<PipelineFlags, 'tracer' | 'tracerMethod' | 'tracerImage' | 'tracerBase'>): void {
  if (argv.tracer !== 'strace' && (argv.tracerImage !== undefined || argv.tracerMethod !== undefined || argv.tracerBase !== undefined)) {
    throw new RoProfileError('USAGE', '--tracer-method, --tracer-image and --tracer-base only apply with "--tracer strace"', { hint: 'Add --tracer strace, or drop them.' });
  }
}

/** The exercise flags (--timeout defaults to 60 s here; a profile's own timeout applies only when --timeout is not given). */
export function exerciseOf(argv: {
  readonly exec: readonly string[];
  readonly probe: boolean;
  readonly duration: string;
  readonly timeout?: string | undefined;
  readonly execTimeout: string;
  readonly settle: string;
}): Omit<ExerciseSpec, 'probePorts'> {
  return {
    execs: [...argv.exec],
    ...(argv.probe ? {} : { probe: false as const }),
    durationMs: parseDuration('duration', argv.duration),
    timeoutMs: parseDuration('timeout', argv.timeout ?? '60s'),
    execTimeoutMs: parseDuration('exec-timeout', argv.execTimeout),
    settleMs: parseDuration('settle', argv.settle),
  };
}

/** The run with an exercise profile laid under it: its readiness timeout where the user gave none. */
export function runOf(built: RunSpec, applied: { readonly run: RunSpec; readonly timeoutMs?: number } | undefined): RunSpec {
  if (!applied) return built;
  return { ...applied.run, exercise: { ...applied.run.exercise, ...(applied.timeoutMs !== undefined ? { timeoutMs: applied.timeoutMs } : {}) } };
}

/** The progress line that names the exercise profile a run follows. */
export function profileLine(p: ResultProfile): string {
  return `${p.name} (${p.source}, sha256 ${p.sha256.slice(0, 12)}): ${p.description}`;
}

export function pipelineOptionsOf(argv: PipelineFlags): Pick<ProfileOptions, 'limits' | 'stopTimeoutSec' | 'verify' | 'tracer' | 'resources' | 'harden'> {
  return {
    limits: { memoryBytes: parseBytes('memory', argv.memory), pidsLimit: argv.pidsLimit },
    stopTimeoutSec: Math.ceil(parseDuration('stop-timeout', argv.stopTimeout) / 1000),
    ...(argv.verify ? { verify: { maxRounds: positive('max-rounds', argv.maxRounds), leaveOneOutBudget: Math.max(0, Math.floor(argv.leaveOneOut)), verifier: verifierFor(launcherFor(argv.verifyWith ?? 'run')) } } : {}),
    ...(argv.tracer === 'strace'
      ? { tracer: liveTracer({ method: argv.tracerMethod ?? 'sidecar', base: argv.tracerBase ?? DEFAULT_TRACER_BASE, ...(argv.tracerImage !== undefined ? { image: argv.tracerImage } : {}) }) }
      : {}),
    ...resourcesOf(argv.limits, argv.headroom),
    harden: argv.harden,
  };
}

/** --limits and --headroom as the pipeline takes them. */
export function resourcesOf(policy: LimitPolicy, headroom: number | undefined): Pick<ProfileOptions, 'resources'> {
  if (headroom !== undefined && !(Number.isFinite(headroom) && headroom >= 1 && headroom <= 100)) {
    throw new RoProfileError('USAGE', `"--headroom ${headroom}" is not a factor from 1 to 100`, { hint: 'Give the factor over the measured peaks, e.g. --headroom 1.5 (1: exactly what was measured).' });
  }
  if (policy === 'off') {
    if (headroom !== undefined) throw new RoProfileError('USAGE', '"--headroom" has no effect with "--limits off"', { hint: 'Drop --headroom, or pick --limits starter or strict.' });
    return {};
  }
  return { resources: { policy, ...(headroom !== undefined ? { headroom } : {}) } };
}

export function positive(flag: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RoProfileError('USAGE', `--${flag} must be a whole number of at least 1 (got ${n})`);
  return n;
}

export function cannotRunReadOnly(paths: readonly string[]): RoProfileError {
  return new RoProfileError('CANNOT_RUN_READ_ONLY', `the image writes straight into ${paths.join(', ')}, which cannot become a writable mount`, {
    hint: 'See the findings (--format json): point those writes at a directory of their own, then profile again.',
  });
}

/** Why a finished result still fails the run: a required write into a system tree (exit 8), or a failed verification (exit 7). */
export function resultError(result: Result): RoProfileError | undefined {
  const blocking = result.findings.filter((f) => f.kind === 'system-write' && f.severity === 'error');
  if (blocking.length > 0) return cannotRunReadOnly(blocking.map((f) => f.path));
  return result.verification.at(-1)?.result === 'fail' ? verificationError(result) : undefined;
}
