import type { ExerciseStep, ReadySpec } from './exercise-profile.js';

/**
 * How the image is run and exercised. Secret values never live here: `env` names variables,
 * and their values travel separately (see LaunchSecrets), so a RunSpec can be saved and printed.
 */
export interface EnvRef {
  readonly name: string;
}

export interface ExerciseSpec {
  /** Commands run inside the container through `sh -c`, in order. */
  readonly execs: readonly string[];
  /** Extra time kept running after the exercise, in ms. */
  readonly durationMs: number;
  /** Upper bound on readiness, in ms. */
  readonly timeoutMs: number;
  /** Time to wait when the image has neither port nor healthcheck, in ms. */
  readonly settleMs: number;
  /** --exec-timeout: how long one exec step may take, in ms (DEFAULT_EXEC_TIMEOUT_MS when absent). */
  readonly execTimeoutMs?: number;
  /** Ports probed (exposed by the image plus the container side of --publish). */
  readonly probePorts: readonly number[];
  /** false (--no-probe): no request is sent; readiness by healthcheck or settle time. */
  readonly probe?: false;
  /** An exercise profile's steps, run after the probes and before the execs. */
  readonly steps?: readonly ExerciseStep[];
  /** An exercise profile's readiness: which ports, a page, a log line. */
  readonly ready?: ReadySpec;
}

export interface RunSpec {
  readonly image: string;
  readonly env: readonly EnvRef[];
  readonly envFiles: readonly string[];
  readonly user?: string;
  readonly entrypoint?: string;
  /** The command after `--`, replacing the image's CMD when not empty. */
  readonly command: readonly string[];
  /** `-v/--volume` values exactly as given. */
  readonly volumes: readonly string[];
  /** `--mount` values exactly as given. */
  readonly mounts: readonly string[];
  /** `-p/--publish` values exactly as given. */
  readonly publish: readonly string[];
  readonly network?: string;
  readonly exercise: ExerciseSpec;
}

/** Values of variables given with -e NAME=VALUE or --env-file; used for the profiling run only. */
export type LaunchSecrets = ReadonlyMap<string, string>;

/** How long one exec step may take when --exec-timeout is not given. */
export const DEFAULT_EXEC_TIMEOUT_MS = 300_000;

/** The run options as the user typed them (flags, or a compose service / manifest container mapped to them); values of -e may be secrets. */
export interface PassThroughFlags {
  readonly image: string;
  readonly env: readonly string[];
  readonly envFile: readonly string[];
  readonly user?: string | undefined;
  readonly entrypoint?: string | undefined;
  readonly volume: readonly string[];
  readonly mount: readonly string[];
  readonly publish: readonly string[];
  readonly network?: string | undefined;
  readonly command: readonly string[];
}
