import type { ProcessInfo } from '../../src/model/hardening.js';
import { Readable } from 'node:stream';
import type { ImageFacts } from '../../src/model/image-facts.js';
import type { FsChange } from '../../src/model/write-event.js';
import type {
  ContainerCreateSpec,
  ContainerState,
  ContainerSummary,
  Engine,
  EngineInfo,
  ExecOutcome,
  ManagedObject,
  PathStat,
  PullProgress,
  UsageSample,
} from '../../src/runtime/engine.js';

/** A running container with nothing special about it; tests override what they need. */
export function containerState(overrides: Partial<ContainerState> = {}): ContainerState {
  return {
    id: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
    running: true,
    status: 'running',
    exitCode: 0,
    oomKilled: false,
    error: '',
    startedAtMs: 0,
    hostPid: 0,
    ips: {},
    loopbackPorts: {},
    volumes: [],
    networkMode: 'bridge',
    ...overrides,
  };
}

export const LOCAL_ENGINE: EngineInfo = {
  version: '27.5.1',
  apiVersion: '1.47',
  os: 'linux',
  endpoint: '/var/run/docker.sock',
  runtime: 'docker',
  local: true,
  loopback: true,
};

function notScripted(method: string): never {
  throw new Error(`EngineFake.${method} was called but the test did not script it`);
}

/**
 * A scripted fake of our Engine interface (never of dockerode). `inspectContainer` walks
 * through `states` one call at a time and then keeps returning the last one; every call is
 * recorded in `calls`. Methods a test does not script throw, so a surprise call fails loudly.
 */
export class EngineFake implements Engine {
  readonly calls: { method: string; args: unknown[] }[] = [];
  states: ContainerState[] = [];
  logOutput = { stdout: '', stderr: '' };
  /** inspectImage answers, one per call; the last one repeats. */
  images: (ImageFacts | undefined)[] = [];
  pullEvents: PullProgress[] = [];
  pullError: Error | undefined;
  /** Tar streams by path, for getArchive. */
  archives = new Map<string, () => Readable>();
  changes: FsChange[] = [];
  /** statPath answers by path; a path not listed is absent. */
  stats = new Map<string, PathStat>();
  private stateIndex = 0;
  private imageIndex = 0;

  constructor(init: { states?: ContainerState[]; logs?: { stdout: string; stderr: string } } = {}) {
    if (init.states) this.states = init.states;
    if (init.logs) this.logOutput = init.logs;
  }

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  callsTo(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  async info(): Promise<EngineInfo> {
    this.record('info');
    return LOCAL_ENGINE;
  }

  async inspectImage(ref: string): Promise<ImageFacts | undefined> {
    this.record('inspectImage', ref);
    if (this.images.length === 0) notScripted('inspectImage');
    const i = Math.min(this.imageIndex++, this.images.length - 1);
    return this.images[i];
  }

  async pullImage(ref: string, onProgress: (p: PullProgress) => void, signal: AbortSignal): Promise<void> {
    this.record('pullImage', ref, signal);
    for (const p of this.pullEvents) onProgress(p);
    if (this.pullError) throw this.pullError;
  }

  async createContainer(spec: ContainerCreateSpec): Promise<string> {
    this.record('createContainer', spec);
    return notScripted('createContainer');
  }

  async startContainer(id: string): Promise<void> {
    this.record('startContainer', id);
    notScripted('startContainer');
  }

  async inspectContainer(id: string): Promise<ContainerState> {
    this.record('inspectContainer', id);
    const i = Math.min(this.stateIndex++, this.states.length - 1);
    const state = this.states[i];
    if (!state) notScripted('inspectContainer');
    return state;
  }

  /** The containers the engine knows, for findContainer (by id, id prefix or name) and listContainers (the running ones). */
  containers: ContainerSummary[] = [];

  async findContainer(ref: string): Promise<ContainerSummary | undefined> {
    this.record('findContainer', ref);
    return this.containers.find((c) => c.name === ref || c.id.startsWith(ref));
  }

  async listContainers(): Promise<ContainerSummary[]> {
    this.record('listContainers');
    return this.containers.filter((c) => c.running);
  }

  async stopContainer(id: string, timeoutSec: number): Promise<void> {
    this.record('stopContainer', id, timeoutSec);
    notScripted('stopContainer');
  }

  async removeContainer(id: string): Promise<void> {
    this.record('removeContainer', id);
    notScripted('removeContainer');
  }

  async waitExit(id: string): Promise<number> {
    this.record('waitExit', id);
    return notScripted('waitExit');
  }

  async attachOutput(id: string): Promise<{ readonly ended: Promise<void> }> {
    this.record('attachOutput', id);
    return notScripted('attachOutput');
  }

  async putArchive(id: string, dir: string, tar: Buffer): Promise<void> {
    this.record('putArchive', id, dir, tar);
    notScripted('putArchive');
  }

  async buildImage(context: Buffer, tag: string): Promise<void> {
    this.record('buildImage', context, tag);
    notScripted('buildImage');
  }

  /** diff answers by container id, before `changes` (which answers for any other id). */
  changesById = new Map<string, FsChange[]>();

  async diff(id: string): Promise<FsChange[]> {
    this.record('diff', id);
    return [...(this.changesById.get(id) ?? this.changes)];
  }

  /** usageStats answers, one per call; the last one repeats (none scripted: undefined, as for a stopped container). */
  statsSamples: (UsageSample | undefined)[] = [];

  async usageStats(id: string): Promise<UsageSample | undefined> {
    this.record('usageStats', id);
    return this.statsSamples.length > 1 ? this.statsSamples.shift() : this.statsSamples[0];
  }

  /** processes answers for every container (none scripted: empty, as for a stopped one). */
  processList: ProcessInfo[] = [];

  async processes(id: string): Promise<ProcessInfo[]> {
    this.record('processes', id);
    return [...this.processList];
  }

  /** The fake's containers are never behind a remote engine: a tunnel is a test's mistake. */
  async tunnel(): Promise<never> {
    throw new Error('EngineFake has no tunnel');
  }

  async prepareTunnel(): Promise<void> {}

  async exec(id: string, cmd: readonly string[], options: { readonly user?: string }): Promise<ExecOutcome> {
    this.record('exec', id, cmd, options);
    return notScripted('exec');
  }

  async logs(id: string, options?: { readonly sinceMs?: number }): Promise<{ readonly stdout: string; readonly stderr: string }> {
    this.record('logs', id, ...(options?.sinceMs !== undefined ? [options] : []));
    return this.logOutput;
  }

  async statPath(id: string, path: string): Promise<PathStat | undefined> {
    this.record('statPath', id, path);
    return this.stats.get(path);
  }

  async getArchive(id: string, path: string): Promise<Readable> {
    this.record('getArchive', id, path);
    const make = this.archives.get(path);
    if (!make) notScripted(`getArchive(${path})`);
    return make();
  }

  async createVolume(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    this.record('createVolume', name, labels);
    notScripted('createVolume');
  }

  async volumeExists(name: string): Promise<boolean> {
    this.record('volumeExists', name);
    return notScripted('volumeExists');
  }

  async removeVolume(name: string): Promise<void> {
    this.record('removeVolume', name);
    notScripted('removeVolume');
  }

  async removeNetwork(id: string): Promise<void> {
    this.record('removeNetwork', id);
    notScripted('removeNetwork');
  }

  async listManaged(labelFilter: readonly string[]): Promise<ManagedObject[]> {
    this.record('listManaged', labelFilter);
    return notScripted('listManaged');
  }

  async listImages(labelFilter: readonly string[]): Promise<{ id: string; tags: string[]; createdAt: Date }[]> {
    this.record('listImages', labelFilter);
    return notScripted('listImages');
  }

  async removeImage(id: string): Promise<'removed' | 'in-use'> {
    this.record('removeImage', id);
    return notScripted('removeImage');
  }
}
