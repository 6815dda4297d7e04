/** What the image itself declares, read once by inspect; shapes are ours, not Docker's. */
export interface PortSpec {
  readonly port: number;
  readonly protocol: 'tcp' | 'udp' | 'sctp';
}

export interface HealthcheckSpec {
  /** Docker's form: ["CMD", ...], ["CMD-SHELL", "..."], or ["NONE"]. */
  readonly test: readonly string[];
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly startPeriodMs?: number;
  readonly retries?: number;
}

export interface ImageFacts {
  /** The reference the user gave. */
  readonly ref: string;
  /** Content id (sha256:...) of the local image. */
  readonly id: string;
  /** Registry digests (name@sha256:...), empty for an image never pushed or pulled. */
  readonly repoDigests: readonly string[];
  readonly user: string;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  /** Environment the image sets (NAME=VALUE); these are public, they ship in the image. */
  readonly env: readonly string[];
  readonly workingDir: string;
  readonly exposedPorts: readonly PortSpec[];
  readonly volumes: readonly string[];
  readonly healthcheck?: HealthcheckSpec;
  readonly stopSignal: string;
  readonly os: string;
  readonly architecture: string;
}
