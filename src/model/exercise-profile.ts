/**
 * An exercise profile (DESIGN: a YAML file in `profiles/`): how to run and exercise an image the
 * way its users do. Parsed and validated by `profiles/parse-profile.ts` against
 * docs/profile.schema.json; what the CLI gives always wins over what a profile says.
 */

/** One step of the exercise, run in order after the ports are probed and before any --exec. */
export type ExerciseStep =
  | {
      readonly kind: 'http';
      readonly port: number;
      readonly method: string;
      readonly path: string;
      readonly bodyBytes: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly expectStatus: number;
      /** Send the body as one file of a multipart/form-data form (an upload), not as raw bytes. */
      readonly upload?: { readonly field: string; readonly filename: string };
    }
  | { readonly kind: 'tcp'; readonly port: number; readonly send: string; readonly expect: string }
  | { readonly kind: 'exec'; readonly command: string; readonly expectExit: number }
  | { readonly kind: 'wait'; readonly ms: number }
  /** Stop the container (its stop signal and timeout) and start it again, until ready: what a host reboot or a rolling update does. */
  | { readonly kind: 'restart' };

/** How readiness is decided, beyond the ports accepting (or the healthcheck). */
export interface ReadySpec {
  /** Only these ports must accept connections (others may open later). */
  readonly ports?: readonly number[];
  /** A GET of this path must answer this status. */
  readonly http?: { readonly port: number; readonly path: string; readonly status: number };
  /** A line of the container's output must match this regular expression. */
  readonly log?: string;
}

export type WriteHintKind = 'persistent' | 'optional' | 'ignorable';

/** What a profile knows about a path: a hint for what verify tries, never over observed evidence. */
export interface WriteHint {
  readonly path: string;
  readonly kind: WriteHintKind;
  readonly reason: string;
}

export interface ProfileEnv {
  readonly name: string;
  /** A default that is not a secret; or */
  readonly value?: string;
  /** a value generated for the profiling runs only (never printed: outputs name the variable). */
  readonly generate?: 'password' | 'token';
}

export interface ExerciseProfile {
  readonly name: string;
  readonly description: string;
  /** Image name patterns: `nginx`, `*\/nginx`, `bitnami/nginx` (registry, tag and digest aside). */
  readonly match: readonly string[];
  /** How the official image differs from the image the profile is tested on. */
  readonly notes?: string;
  readonly run: { readonly env: readonly ProfileEnv[]; readonly command?: readonly string[]; readonly user?: string };
  readonly ready: ReadySpec & { readonly timeoutMs?: number };
  readonly exercise: readonly ExerciseStep[];
  readonly writes: readonly WriteHint[];
}

/** Which profile a result was made with: recorded in the result and named in the report. */
export interface ProfileRef {
  readonly name: string;
  /** `built-in`, or the file it was read from. */
  readonly source: string;
  /** SHA-256 of the profile file's bytes. */
  readonly sha256: string;
}
