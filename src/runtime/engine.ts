import type { Duplex } from 'node:stream';
import type { Readable } from 'node:stream';
import type { ProcessInfo } from '../model/hardening.js';
import type { ImageFacts } from '../model/image-facts.js';
import type { FsChange } from '../model/write-event.js';

/**
 * The narrow view of a container engine that the pipeline needs, in our own types.
 * DockerEngine is the one implementation; tests fake this interface, never dockerode.
 */
export interface EngineInfo {
  readonly version: string;
  readonly apiVersion: string;
  readonly os: string;
  /** Where the engine was reached (socket path or host URL), for messages. */
  readonly endpoint: string;
  /** What answers on the Docker API: Docker itself, or Podman through its compatible socket. */
  readonly runtime: 'docker' | 'podman';
  /** True when the engine runs on this machine's own kernel (a unix socket on Linux). */
  readonly local: boolean;
  /** True when ports the engine publishes on its 127.0.0.1 are this machine's (a unix socket, TCP to loopback). */
  readonly loopback: boolean;
}

export interface ContainerCreateSpec {
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly env: readonly string[];
  /** The container's hostname (the engine's default is its short id). */
  readonly hostname?: string;
  readonly user?: string;
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  readonly binds: readonly string[];
  readonly mounts: readonly MountSpec[];
  readonly tmpfs: Readonly<Record<string, string>>;
  readonly readOnlyRoot: boolean;
  /** Container ports to publish on 127.0.0.1 with an engine-chosen host port. */
  readonly publishLoopback: readonly number[];
  readonly network?: string;
  readonly memoryBytes: number;
  readonly pidsLimit: number;
  /** CPU limit in units of 1e-9 CPUs (docker run --cpus × 1e9); absent: none. */
  readonly nanoCpus?: number;
  /** `container:<id>` joins that container's pid namespace (the tracer sidecar). */
  readonly pidMode?: string;
  readonly capAdd?: readonly string[];
  /** Capabilities dropped (['ALL'] drops every one; capAdd then adds back). */
  readonly capDrop?: readonly string[];
  /** Supplementary groups (a Pod's fsGroup, which every container of the Pod gets). */
  readonly groupAdd?: readonly string[];
}

export interface MountSpec {
  readonly type: 'bind' | 'volume' | 'tmpfs';
  readonly source?: string;
  readonly target: string;
  readonly readOnly: boolean;
  readonly noCopy?: boolean;
  readonly tmpfsSizeBytes?: number;
  readonly tmpfsMode?: number;
}

export interface ContainerState {
  readonly id: string;
  readonly running: boolean;
  readonly status: string;
  readonly exitCode: number;
  readonly oomKilled: boolean;
  readonly error: string;
  /** When the container last started, ms since the epoch (0 when it never did). */
  readonly startedAtMs: number;
  /** Pid of its first process on the engine's host (0 when not running). */
  readonly hostPid: number;
  readonly health?: { readonly status: string; readonly lastOutput: string };
  /** IP addresses by network name. */
  readonly ips: Readonly<Record<string, string>>;
  /** Host ports on 127.0.0.1 by container port (tcp). */
  readonly loopbackPorts: Readonly<Record<number, number>>;
  /** Volumes attached: name (or source) to destination. */
  readonly volumes: readonly { readonly name: string; readonly destination: string; readonly anonymous: boolean }[];
  readonly networkMode: string;
}

/** Who a container is and what it runs: what `drift` needs to find it and match it to a result. */
export interface ContainerSummary {
  readonly id: string;
  /** Its name, without Docker's leading slash. */
  readonly name: string;
  /** The image as the container was created from it: a reference, or an id when created by id. */
  readonly image: string;
  /** The content id (sha256:...) of the image it runs, whatever its reference names now. */
  readonly imageId: string;
  readonly running: boolean;
  /** Where the engine mounts something into it (volumes, binds, tmpfs), sorted: writes there are not the root's. */
  readonly mountPoints: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

export interface PathStat {
  readonly type: 'file' | 'dir' | 'symlink' | 'other';
  /** Permission bits including setuid/setgid/sticky (0o7777). */
  readonly mode: number;
  readonly size: number;
  readonly linkTarget?: string;
}

export interface ExecOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ManagedObject {
  readonly kind: 'container' | 'volume' | 'network';
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt: Date;
  /** A container's state as the engine lists it ('running', 'exited', 'removing', …). */
  readonly state?: string;
}

/** One reading of a container's counters (cgroup files or the engine's stats API). */
export interface UsageSample {
  /** Memory charged to the container now, page cache included. */
  readonly memoryBytes: number;
  /** The kernel's own peak of that, where it keeps one. */
  readonly memoryPeakBytes?: number;
  /** The inactive file cache in memoryBytes (reclaimed first; not part of the working set). */
  readonly inactiveFileBytes: number;
  /** CPU time used since the container started, in ns. */
  readonly cpuNs: number;
  /** Tasks (processes and threads) now. */
  readonly pids: number;
  /** The kernel's peak of tasks, where it keeps one. */
  readonly pidsPeak?: number;
}

export interface PullProgress {
  readonly status: string;
  readonly id?: string;
  readonly current?: number;
  readonly total?: number;
}

/**
 * A wait on the engine: bounded by `timeoutMs` (the engine's default for that call otherwise)
 * and cancelled with the run (the engine's own signal). Cleanup calls (stop, remove) take none:
 * they must finish after an interrupt.
 */
export interface WaitOptions {
  readonly timeoutMs?: number;
}

export interface Engine {
  info(): Promise<EngineInfo>;
  /** Undefined when the image is not present locally. */
  inspectImage(ref: string): Promise<ImageFacts | undefined>;
  pullImage(ref: string, onProgress: (p: PullProgress) => void, signal: AbortSignal): Promise<void>;
  createContainer(spec: ContainerCreateSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  inspectContainer(id: string): Promise<ContainerState>;
  /** A container by id, id prefix or name, running or not; undefined when the engine knows none. */
  findContainer(ref: string): Promise<ContainerSummary | undefined>;
  /** The running containers, whoever started them. */
  listContainers(): Promise<ContainerSummary[]>;
  /** Stops with the container's configured stop signal, then SIGKILL after timeoutSec. */
  stopContainer(id: string, timeoutSec: number): Promise<void>;
  /** Force-removes with anonymous volumes; a missing container counts as removed. */
  removeContainer(id: string): Promise<void>;
  /** Waits until the container exits; its exit code. */
  waitExit(id: string, o?: WaitOptions): Promise<number>;
  /**
   * Streams the container's stdout/stderr to `onChunk` from before it starts; the promise
   * settles once attached, and `ended` when the output ends (the container exited).
   */
  attachOutput(id: string, onChunk: (stream: 'stdout' | 'stderr', chunk: Buffer) => void): Promise<{ readonly ended: Promise<void> }>;
  /** Extracts a tar archive into directory `dir` of the container (created or running). */
  putArchive(id: string, dir: string, tar: Buffer, o?: WaitOptions): Promise<void>;
  /** Builds an image from a tar build context; `onLine` gets the build output. */
  buildImage(context: Buffer, tag: string, labels: Readonly<Record<string, string>>, onLine: (line: string) => void, signal: AbortSignal): Promise<void>;
  diff(id: string, o?: WaitOptions): Promise<FsChange[]>;
  /** The container's counters now, from the engine's stats API; undefined when it is not running. */
  usageStats(id: string, o?: WaitOptions): Promise<UsageSample | undefined>;
  /** Runs a command in the container; past `timeoutMs` it is a CONTAINER_FAILED error with details.timedOut. */
  /**
   * A byte stream to `host:port` from inside the target container's network namespace (a relay
   * container joined to it), for engines whose containers this machine cannot reach.
   */
  tunnel(target: ContainerState, host: string, port: number): Promise<Duplex>;
  /** Makes what tunnel() needs ready (its image), so a missing piece fails early and clearly. */
  prepareTunnel(): Promise<void>;
  exec(id: string, cmd: readonly string[], options: { readonly user?: string } & WaitOptions): Promise<ExecOutcome>;
  /** The container's processes (host pid, effective uid and gid, command line); empty when it is not running. */
  processes(id: string, o?: WaitOptions): Promise<ProcessInfo[]>;
  /** stdout and stderr; `sinceMs` keeps only what was written from then on (a restart's own output). */
  logs(id: string, o?: WaitOptions & { readonly sinceMs?: number }): Promise<{ readonly stdout: string; readonly stderr: string }>;
  /** Type, mode and link target of a path in the container, without reading it; undefined when absent. */
  statPath(id: string, path: string, o?: WaitOptions): Promise<PathStat | undefined>;
  /** A tar stream of a path in the container (works on a stopped container). */
  getArchive(id: string, path: string, o?: WaitOptions): Promise<Readable>;
  createVolume(name: string, labels: Readonly<Record<string, string>>): Promise<void>;
  volumeExists(name: string): Promise<boolean>;
  removeVolume(name: string): Promise<void>;
  /** Removes a network by id (a verification compose project's); gone already is fine. */
  removeNetwork(id: string): Promise<void>;
  listManaged(labelFilter: readonly string[]): Promise<ManagedObject[]>;
  /** Images carrying every label of the filter (the tracer images the tool builds), with their tags. */
  listImages(labelFilter: readonly string[]): Promise<{ readonly id: string; readonly tags: readonly string[]; readonly createdAt: Date }[]>;
  /** Removes an image or one tag of it (by id or reference); one a container still uses is refused (409), and gone already is fine. */
  removeImage(ref: string): Promise<'removed' | 'in-use'>;
}
