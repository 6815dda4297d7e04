import type { Hardening } from './hardening.js';
import type { Limits, UsageRecord } from './usage.js';
import type { FsFacts } from './fs-facts.js';
import type { ImageFacts } from './image-facts.js';
import type { Finding, MountPlan } from './mount-plan.js';
import type { ProfileRef, WriteHint } from './exercise-profile.js';
import type { RunSpec } from './run-spec.js';
import type { FsChange, WriteEvent } from './write-event.js';

export const SCHEMA_VERSION = 1;

/** What the exercise did and saw. */
export interface ProbeResult {
  readonly port: number;
  readonly kind: 'http' | 'tcp';
  readonly ok: boolean;
  readonly status?: number;
  /** SHA-256 of the HTTP body, to tell a default page from the real one. */
  readonly bodySha256?: string;
  /** SHA-256 of the body with digits, long hex runs, day and month names masked: its shape. */
  readonly bodyShapeSha256?: string;
  /** The response's Content-Type, lower-cased. */
  readonly contentType?: string;
  readonly error?: string;
}

export interface ExecResult {
  readonly command: string;
  /** Which kind of the profile's steps this records (`command` is a request's or restart's label); absent for an --exec command. */
  readonly step?: 'http' | 'tcp' | 'exec' | 'restart';
  readonly exitCode: number;
  readonly output: string;
}

export interface TraceReport {
  readonly tracer: 'strace';
  /** sidecar: strace in a container joining the app's pid namespace; host: strace on the engine's host. */
  readonly method: 'sidecar' | 'host';
  /** The tracer image (its busybox is the gate; the sidecar runs its strace). */
  readonly image: string;
  /** Processes traced apart from the container's own tree (one per --exec step). */
  readonly steps: number;
  readonly lines: number;
  /** Write events the trace gave after filtering noise. */
  readonly events: number;
}

export interface ExerciseReport {
  /** How readiness was decided; 'trace' when the writes came from a strace log, not a run. */
  readonly readiness: 'healthcheck' | 'ports' | 'settle' | 'job-exit' | 'trace';
  readonly readyAfterMs: number;
  readonly probes: readonly ProbeResult[];
  readonly execs: readonly ExecResult[];
  /** Present when the run was traced live (--tracer strace). */
  readonly trace?: TraceReport;
  /** Set for a finished job. */
  readonly jobExitCode?: number;
}

/** One way a hardened run differed from the writable one. */
export interface Difference {
  readonly kind: 'state' | 'ready' | 'probe' | 'exec' | 'log' | 'restart';
  readonly message: string;
  /** The log lines that show it (new error lines, or the failure's output). */
  readonly lines?: readonly string[];
  /** Paths those lines name. */
  readonly paths?: readonly string[];
}

/** One run of the image under a config: what was tried and what differed. */
export interface VerifyRound {
  /** verify: the config as planned or repaired; leave-one-out: it without one mount; final: the config printed, with a restart; harden: the config under a --harden level (or without one capability). */
  readonly kind: 'verify' | 'leave-one-out' | 'final' | 'harden';
  /** harden: the level tried, its capabilities added back and its user. */
  readonly harden?: { readonly level: string; readonly capAdd: readonly string[]; readonly user?: string; readonly withoutCap?: string };
  /** Mount paths of the config tried. */
  readonly mounts: readonly string[];
  /** leave-one-out: the mount left out. */
  readonly without?: string;
  readonly result: 'pass' | 'fail';
  readonly differences: readonly Difference[];
  /** Mounts the repair added or changed after this round, from the paths the differences named. */
  readonly repaired?: readonly string[];
  /** A line named these as alternatives; this round tried one of them (`repaired`) alone. */
  readonly candidates?: readonly string[];
  /** A traced run: the writes the kernel refused it ("EROFS /srv/uploads"), which the repair read too. */
  readonly refused?: readonly string[];
}

export interface VerificationRecord {
  readonly format: string;
  readonly runtime: string;
  readonly version: string;
  readonly result: 'pass' | 'fail';
  readonly rounds: readonly VerifyRound[];
  /** What the comparison could not hold the hardened run to (a page that changes by itself). */
  readonly notes?: readonly string[];
}

/** A volume the profiled container had mounted (declared by the image, or the user's). */
export interface VolumeSeen {
  readonly destination: string;
  /** The engine's name for it (a 64-hex id for an anonymous volume). */
  readonly name: string;
  readonly anonymous: boolean;
}

/** The exercise profile a result was made with, and what it said that the report repeats. */
export interface ResultProfile extends ProfileRef {
  readonly description: string;
  readonly notes?: string;
  /** Its hints on paths, with their reasons. */
  readonly writes: readonly WriteHint[];
  /** Variables it set (never their values): `default` (a value that is not a secret) or `generated`. */
  readonly env: readonly { readonly name: string; readonly kind: 'default' | 'generated' }[];
}

/** The saved result of a run: everything emit needs, and nothing secret. */
export interface Result {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly tool: { readonly name: 'ro-profile'; readonly version: string };
  /** What answered on the Docker API during the profile (Docker, or Podman's compatible socket); absent in older results. */
  readonly engine?: { readonly runtime: 'docker' | 'podman'; readonly version: string; readonly apiVersion: string };
  readonly image: ImageFacts;
  readonly run: RunSpec;
  /** The exercise profile the run followed (none with --no-profile, or when none matched). */
  readonly profile?: ResultProfile;
  readonly exercise: ExerciseReport;
  readonly changes: readonly FsChange[];
  readonly volumes: readonly VolumeSeen[];
  /** The image's directories that mattered to the analysis, and the links that lead into them. */
  readonly fs: FsFacts;
  readonly events: readonly WriteEvent[];
  /** The analysis overrides given (--persist, --ephemeral), so a result can be analysed again. */
  readonly analysis: {
    readonly persist: readonly string[];
    readonly ephemeral: readonly string[];
    /** The restart check: mounts whose files the app took up again on a second start, with the evidence (they became named volumes). */
    readonly state?: Readonly<Record<string, readonly string[]>>;
    /** --volume-prefix: the first part of every named volume's name. */
    readonly volumePrefix?: string;
    /** --limits strict: the smallest tmpfs size, in bytes (otherwise 64 MiB). */
    readonly minTmpfsBytes?: number;
  };
  readonly plan: MountPlan;
  readonly findings: readonly Finding[];
  readonly verification: readonly VerificationRecord[];
  /** What the profile's writable run and the final verification run used (memory, CPU, tasks, tmpfs). */
  readonly usage?: UsageRecord;
  /** The process settings the config carries (capabilities, user, seccomp) and the levels tried; absent in results made before levels (the engine's defaults). */
  readonly hardening?: Hardening;
  /** The resource limits the config carries, chosen from `usage` (absent with --limits off, or when nothing was measured). */
  readonly limits?: Limits;
}
