import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import { RoProfileError, messageOf } from '../errors.js';
import type { ImageFacts } from '../model/image-facts.js';
import type { FsChange } from '../model/write-event.js';
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
  WaitOptions,
} from './engine.js';
import { BULK_WAIT_MS } from './deadline.js';
import { apiMessage, demuxBuffer, describeEndpoint, statusOf } from './docker-api.js';
import { bounded, call, refused, type DockerContext } from './docker-call.js';
import { toCreateOptions } from './create-options.js';
import * as objects from './docker-objects.js';
import * as streams from './docker-streams.js';
import { mapChanges, mapContainer, mapImage, mapPathStat, mapStats } from './map-docker.js';
import type { ProcessInfo } from '../model/hardening.js';
import { mapTop, TOP_PS_ARGS } from './docker-top.js';
import { defaultDocker, type DockerEndpoint } from './default-docker.js';
import { isLoopbackAddress } from './docker-endpoint.js';
import { forPodman, isPodman, withoutPodmanMountPoints } from './podman.js';
import { ProbeRelays } from './docker-relay.js';
import type { Duplex } from 'node:stream';

/**
 * The only dockerode user: each call goes through `call`, which turns failures into RoProfileError.
 * The container lifecycle lives here; streaming calls are in docker-streams.ts, volumes, networks,
 * images and listings in docker-objects.ts.
 */
export class DockerEngine implements Engine {
  private readonly docker: Docker;
  private readonly endpoint: string;

  /** The run's signal: every wait on the engine ends with it (cleanup calls do not take it). */
  private readonly runSignal: AbortSignal | undefined;

  /** What the calls split out of this class get: the three fields above. */
  private readonly ctx: DockerContext;

  /** Where the engine was found (DOCKER_HOST, a context, the default socket); absent for a Docker handed in. */
  private readonly found: DockerEndpoint | undefined;
  /** The version answer, asked once: info() and the Podman-specific handling both need it. */
  private versionOnce: Promise<Docker.DockerVersion> | undefined;

  constructor(docker?: Docker, o: { readonly signal?: AbortSignal } = {}) {
    // A bad DOCKER_HOST or a missing context is said by the first call, where the CLI turns errors into exit codes.
    let unresolved: RoProfileError | undefined;
    let d: { docker: Docker; found: DockerEndpoint | undefined };
    try {
      d = docker ? { docker, found: undefined } : defaultDocker();
    } catch (e) {
      unresolved = e instanceof RoProfileError ? e : new RoProfileError('USAGE', `The Docker engine's address cannot be read: ${messageOf(e)}`, { hint: 'Check DOCKER_HOST and DOCKER_CONTEXT.', cause: e });
      d = { docker: new Docker({ socketPath: '/var/run/docker.sock' }), found: undefined };
    }
    this.docker = d.docker;
    this.found = d.found;
    this.endpoint = describeEndpoint(this.docker, this.found);
    this.runSignal = o.signal;
    this.ctx = { docker: this.docker, endpoint: this.endpoint, runSignal: this.runSignal, ...(unresolved ? { unresolved } : {}) };
    this.relays = new ProbeRelays(this.docker, (op, fn) => this.call(op, fn), (context, tag, labels) => this.buildImage(context, tag, labels, () => undefined, this.runSignal ?? new AbortController().signal));
  }

  private readonly relays: ProbeRelays;

  prepareTunnel(): Promise<void> {
    return this.relays.prepare().then(() => undefined);
  }

  tunnel(target: ContainerState, host: string, port: number): Promise<Duplex> {
    return this.relays.open(target, host, port);
  }

  private version(): Promise<Docker.DockerVersion> {
    this.versionOnce ??= this.call('version', () => this.docker.version()).catch((e: unknown) => {
      this.versionOnce = undefined;
      throw e;
    });
    return this.versionOnce;
  }

  private async podman(): Promise<boolean> {
    return isPodman((await this.version()).Components);
  }

  private async bounded<T>(op: string, o: WaitOptions | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return bounded(this.ctx, op, o, fn);
  }

  private async call<T>(op: string, fn: () => Promise<T>): Promise<T> {
    return call(this.ctx, op, fn);
  }

  async info(): Promise<EngineInfo> {
    const v = await this.version();
    const unix = this.endpoint.startsWith('unix://');
    return {
      version: v.Version,
      apiVersion: v.ApiVersion,
      os: v.Os,
      endpoint: this.endpoint,
      runtime: isPodman(v.Components) ? 'podman' : 'docker',
      local: unix && process.platform === 'linux' && v.Os === 'linux',
      loopback: this.found ? this.found.loopback : isLoopbackAddress(this.endpoint),
    };
  }

  async inspectImage(ref: string): Promise<ImageFacts | undefined> {
    return this.call('image inspect', async () => {
      try {
        return mapImage(ref, await this.docker.getImage(ref).inspect());
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw e;
      }
    });
  }

  async pullImage(ref: string, onProgress: (p: PullProgress) => void, signal: AbortSignal): Promise<void> {
    return streams.pullImage(this.ctx, ref, onProgress, signal);
  }

  async createContainer(asked: ContainerCreateSpec): Promise<string> {
    // Podman differs where the profile depends on it (its own tmpfs, tmpfs ownership): see podman.ts.
    const spec = (await this.podman()) ? forPodman(asked) : asked;
    return this.call('create', async () => {
      const c: Docker.Container = await this.docker.createContainer(toCreateOptions(spec)).catch((e: unknown) => {
        throw refused('create', e);
      });
      return c.id;
    });
  }

  async startContainer(id: string): Promise<void> {
    await this.call('start', async () => {
      await this.docker.getContainer(id).start().catch((e: unknown) => {
        throw refused('start', e);
      });
    });
  }

  async inspectContainer(id: string): Promise<ContainerState> {
    return this.call('inspect', async () => mapContainer(await this.docker.getContainer(id).inspect()));
  }

  async stopContainer(id: string, timeoutSec: number): Promise<void> {
    await this.call('stop', async () => {
      try {
        await this.docker.getContainer(id).stop({ t: timeoutSec });
      } catch (e) {
        // 304: already stopped.
        if (statusOf(e) !== 304) throw e;
      }
    });
  }

  async removeContainer(id: string): Promise<void> {
    await this.relays.remove(id);
    await this.call('remove', async () => {
      // The engine answers 409 while a removal is already in progress; retry a few times (devcontainers does too).
      for (let attempt = 0; ; attempt++) {
        try {
          await this.docker.getContainer(id).remove({ force: true, v: true });
          return;
        } catch (e) {
          const st = statusOf(e);
          if (st === 404) return;
          if (st === 409 && /already in progress/i.test(apiMessage(e))) {
            await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
            if (attempt < 6) continue;
          }
          throw e;
        }
      }
    });
  }

  async waitExit(id: string, o?: WaitOptions): Promise<number> {
    return this.bounded('wait', o, async (abortSignal) => ((await this.docker.getContainer(id).wait({ abortSignal })) as { StatusCode?: number }).StatusCode ?? -1);
  }

  async attachOutput(id: string, onChunk: (stream: 'stdout' | 'stderr', chunk: Buffer) => void): Promise<{ ended: Promise<void> }> {
    return streams.attachOutput(this.ctx, id, onChunk);
  }

  async putArchive(id: string, dir: string, tar: Buffer, o?: WaitOptions): Promise<void> {
    await this.bounded('archive put', o, (abortSignal) => this.docker.getContainer(id).putArchive(tar, { path: dir, abortSignal }));
  }

  async buildImage(context: Buffer, tag: string, labels: Readonly<Record<string, string>>, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    return streams.buildImage(this.ctx, context, tag, labels, onLine, signal);
  }

  async diff(id: string, o?: WaitOptions): Promise<FsChange[]> {
    return this.bounded('diff', { timeoutMs: o?.timeoutMs ?? BULK_WAIT_MS }, async (abortSignal) => {
      // With no changes the engine answers `null`, which dockerode hands back as a raw Buffer.
      const raw: unknown = await this.docker.getContainer(id).changes({ abortSignal });
      const parsed: unknown = Buffer.isBuffer(raw) ? JSON.parse(raw.toString('utf8') || 'null') : raw;
      const changes = mapChanges(Array.isArray(parsed) ? (parsed as { Path: string; Kind: number }[]) : null);
      return (await this.podman()) ? withoutPodmanMountPoints(changes) : changes;
    });
  }

  async usageStats(id: string, o?: WaitOptions): Promise<UsageSample | undefined> {
    return this.bounded('usageStats', o, async (abortSignal) => {
      // one-shot: the values of the moment, without the engine's wait for a second sample.
      const raw = (await this.docker.getContainer(id).stats({ stream: false, 'one-shot': true, abortSignal } as unknown as Parameters<Docker.Container['stats']>[0])) as unknown;
      return mapStats(raw);
    });
  }

  async processes(id: string, o?: WaitOptions): Promise<ProcessInfo[]> {
    return this.bounded('top', o, async (abortSignal) => {
      // A stopped container has none (the engine answers 409); a ps the engine's host lacks, none either.
      const raw: unknown = await this.docker.getContainer(id).top({ ps_args: TOP_PS_ARGS, abortSignal } as unknown as Parameters<Docker.Container['top']>[0]).catch(() => null);
      return mapTop(raw);
    });
  }

  async exec(id: string, cmd: readonly string[], options: { readonly user?: string } & WaitOptions): Promise<ExecOutcome> {
    return streams.exec(this.ctx, id, cmd, options);
  }

  async logs(id: string, o?: WaitOptions & { readonly sinceMs?: number }): Promise<{ stdout: string; stderr: string }> {
    return this.bounded('logs', o, async (abortSignal) => {
      // `since` takes seconds with a fraction: a restart's own lines, whatever the first start printed.
      const since = o?.sinceMs !== undefined ? { since: (o.sinceMs / 1000).toFixed(3) } : {};
      const buf = (await this.docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false, abortSignal, ...since } as never)) as unknown as Buffer;
      return demuxBuffer(buf);
    });
  }

  async statPath(id: string, path: string, o?: WaitOptions): Promise<PathStat | undefined> {
    return this.bounded('archive stat', o, async (abortSignal) => {
      try {
        const res = (await this.docker.getContainer(id).infoArchive({ path, abortSignal })) as unknown as IncomingMessage;
        res.resume();
        const header = res.headers['x-docker-container-path-stat'];
        return typeof header === 'string' ? mapPathStat(header) : undefined;
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw e;
      }
    });
  }

  async getArchive(id: string, path: string, o?: WaitOptions): Promise<Readable> {
    return streams.getArchive(this.ctx, id, path, o);
  }

  async createVolume(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    return objects.createVolume(this.ctx, name, labels);
  }

  async volumeExists(name: string): Promise<boolean> {
    return objects.volumeExists(this.ctx, name);
  }

  async removeVolume(name: string): Promise<void> {
    return objects.removeVolume(this.ctx, name);
  }

  async removeNetwork(id: string): Promise<void> {
    return objects.removeNetwork(this.ctx, id);
  }

  async listImages(labelFilter: readonly string[]): Promise<{ id: string; tags: string[]; createdAt: Date }[]> {
    return objects.listImages(this.ctx, labelFilter);
  }

  async removeImage(id: string): Promise<'removed' | 'in-use'> {
    return objects.removeImage(this.ctx, id);
  }

  async listManaged(labelFilter: readonly string[]): Promise<ManagedObject[]> {
    return objects.listManaged(this.ctx, labelFilter);
  }

  async findContainer(ref: string): Promise<ContainerSummary | undefined> {
    return objects.findContainer(this.ctx, ref);
  }

  async listContainers(): Promise<ContainerSummary[]> {
    return objects.listContainers(this.ctx);
  }
}
