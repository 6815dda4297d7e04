import type { PrivilegeFacts } from '../analyze/hardening.js';
import type { ImageFacts } from '../model/image-facts.js';
import type { ExecResult, ProbeResult, Result } from '../model/result.js';
import type { LaunchSecrets, RunSpec } from '../model/run-spec.js';
import type { TraceMethod } from '../model/trace-method.js';
import type { RunUsage } from '../model/usage.js';
import type { WriteEvent } from '../model/write-event.js';
import type { ContainerCreateSpec, Engine, EngineInfo, ExecOutcome } from '../runtime/engine.js';
import type { StraceResult } from '../strace/strace-parser.js';
import type { CleanupScope } from './cleanup-scope.js';
import type { PageStability } from './exercise.js';
import type { LaunchLimits } from './launch-spec.js';
import type { Reporter } from './reporter.js';

// The pipeline's ports: what it needs of the live tracer (src/trace) and of verification
// (src/verify), in types it owns. The CLI passes the implementations in (trace/live-tracer.ts,
// verify/verifier.ts), so that the pipeline imports neither layer (eslint.config.js holds it to
// that); they take these types from here.

// ---------------------------------------------------------------------------------------------
// Tracing

/** --tracer strace, --tracer-method, --tracer-image, --tracer-base. */
export interface TracerOptions {
  readonly method: TraceMethod;
  readonly image?: string;
  readonly base: string;
}

export interface TracerImage {
  /** The reference used (the user's --tracer-image, or the tag the tool built). */
  readonly ref: string;
  readonly id: string;
  /** A static busybox from the image: the gate that runs inside the traced container. */
  readonly busybox: Buffer;
}

/** What --tracer strace adds to a run, recorded in the result. */
export interface TraceCapture {
  readonly method: TraceMethod;
  /** Seizes the container's first process (the gate) and follows all its descendants. */
  attachMain(): Promise<void>;
  /**
   * Seizes the gated exec step whose argv carries `token` (docker exec processes are not
   * children of the container's first process). Settles when that step's trace ends.
   */
  traceStep(token: string): Promise<void>;
  /** Once the container stopped: waits for every strace to end and returns what they saw. */
  finish(): Promise<StraceResult>;
}

/** The live tracer (--tracer strace), as profileImage drives it. */
export interface Tracer {
  readonly options: TracerOptions;
  /** Inside the traced container, where the gate lives (left out of the diff). */
  readonly gateDir: string;
  /** Settles, before the app is launched, whether the method works here and which tracer image it uses. */
  prepare(o: { readonly engine: Engine; readonly engineInfo: EngineInfo; readonly reporter: Reporter; readonly signal: AbortSignal; readonly labels: Readonly<Record<string, string>>; readonly scope: CleanupScope }): Promise<TracerImage>;
  /** The container spec with the gate as its first process, so the trace starts before the app does. */
  gatedSpec(spec: ContainerCreateSpec, image: ImageFacts, run: RunSpec): ContainerCreateSpec;
  installGate(engine: Engine, id: string, tracer: TracerImage): Promise<void>;
  capture(o: { readonly engine: Engine; readonly scope: CleanupScope; readonly targetId: string; readonly tracer: TracerImage; readonly labels: Readonly<Record<string, string>>; readonly workingDir: string }): TraceCapture;
  /** Runs an exec step behind the gate, traced from its first instruction. */
  stepRunner(engine: Engine, id: string, capture: TraceCapture): (command: string, timeoutMs: number) => Promise<ExecOutcome>;
  /** One start's traces after another (a restart step), as one trace. */
  merge(parts: readonly StraceResult[]): StraceResult;
}

// ---------------------------------------------------------------------------------------------
// Verification

/**
 * --tracer strace during verification: each hardened run is traced as the writable one was, so a
 * write it is refused (EROFS, EACCES) names its path exactly, whatever the app's own message says.
 */
export interface VerifyTracing {
  readonly method: TraceMethod;
  readonly tracer: TracerImage;
  /** Labels for the sidecar tracer containers. */
  readonly labels: Readonly<Record<string, string>>;
}

/** The user's compose file and the run's project, where the service's dependencies already run. */
export interface ComposeBase {
  /** The user's file first, then the run's own labels override. */
  readonly files: readonly string[];
  readonly project: string;
  readonly service: string;
}

/** Where and how verification runs the image: the writable run's facts, the run's scope and labels. */
export interface RunContext {
  readonly engine: Engine;
  readonly engineInfo: EngineInfo;
  readonly image: ImageFacts;
  readonly run: RunSpec;
  readonly secrets: LaunchSecrets;
  readonly limits: LaunchLimits;
  readonly cwd: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly stopTimeoutSec: number;
  readonly signal: AbortSignal;
  readonly scope: CleanupScope;
  /** --tracer strace: the hardened runs are traced too (launchers put the gate in). */
  readonly tracing?: VerifyTracing;
  /** --out DIR (absolute): the compose file is verified as the user will run it, from there. */
  readonly composeDir?: string;
  /** --compose FILE: the compose launcher verifies the override with the user's file as its base. */
  readonly composeBase?: ComposeBase;
}

/** What one run of the image showed: what the comparison looks at. */
export interface Observation {
  /** Ready by the same rule as the profile (healthcheck, ports, settle), or a job that ran to its end. */
  readonly ready: boolean;
  /** Why it was not ready (exited before, or timed out). */
  readonly failure?: string;
  /** A job's exit code (it ran to its end). */
  readonly jobExitCode?: number;
  /** Still running when the exercise ended (a service must be). */
  readonly runningAtEnd: boolean;
  readonly probes: readonly ProbeResult[];
  readonly execs: readonly ExecResult[];
  /** stdout and stderr, line by line, shutdown included. */
  readonly logLines: readonly string[];
  /** Lines of the log files the app writes inside its mounts (read before stop). */
  readonly fileLogLines: readonly string[];
  /** The run after a restart of the same container (fresh tmpfs, same volumes), when asked for. */
  readonly restart?: Observation;
  /**
   * The writable run only: how alike its HTTP pages were when asked again (a few times, a second
   * apart): `exact` the same bytes, `shape` the same once times, counters and ids are masked, `none`
   * not even that (the page changes by itself; only its status and content type can be compared).
   */
  readonly bodyStability?: readonly PageStability[];
  /** A traced hardened run: the writes the kernel refused it (EROFS, EACCES…), as strace saw them. */
  readonly refused?: readonly WriteEvent[];
  /** What the run used, from its start to just before its stop (undefined when not one reading succeeded). */
  readonly usage?: RunUsage;
  /** The engine killed it for memory (its limit was too low for the exercise). */
  readonly oomKilled?: boolean;
  /** Failing fast, a step failed and the rest were not run. */
  readonly failedFast?: true;
}

/** What one verification (or hardening) pass is given, its launcher aside (the Verifier holds it). */
export interface VerifyRunOptions {
  readonly ctx: RunContext;
  readonly reporter: Reporter;
  /** The writable run to compare with. */
  readonly baseline: Observation;
  /** Repair rounds before giving up (--max-rounds). */
  readonly maxRounds: number;
  /** Runs spent on leaving one mount out at a time (0: none). */
  readonly leaveOneOutBudget: number;
  /** Labels for the image view and the volumes verification creates. */
  readonly viewLabels: Readonly<Record<string, string>>;
  /** The launcher's runtime version, for the record. */
  readonly runtimeVersion: string;
}

/** Verification through one emitted format (--verify-with), as profileImage drives it. */
export interface Verifier {
  /** The runtime's version ("" when it cannot say); also fails early when the runtime is missing. */
  runtimeVersion(): Promise<string>;
  /** The log files the app wrote inside its planned mounts, read from the stopped writable run. */
  readStoppedLogFiles(engine: Engine, id: string, result: Result): Promise<string[]>;
  /** Runs the config, compares it with the baseline, repairs what breaks, leaves mounts out. */
  verify(result: Result, o: VerifyRunOptions): Promise<{ readonly result: Result; readonly passed: boolean }>;
  /** The strongest --harden level the verified mounts run under. */
  harden(result: Result, facts: PrivilegeFacts, o: VerifyRunOptions): Promise<{ readonly result: Result; readonly passed: boolean }>;
  /** The verification records with secret values masked. */
  redact(result: Result, redact: (t: string) => string): Result;
}
