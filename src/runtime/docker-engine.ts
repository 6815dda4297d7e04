import type { IncomingMessage } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import Docker from 'dockerode';
import { RoProfileError } from '../errors.js';
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
import { BULK_WAIT_MS, DEFAULT_WAIT_MS, deadline } from './deadline.js';
import { apiMessage, containerRefusal, demuxBuffer, describeEndpoint, pullError, statusOf, UNREACHABLE_CODES, type DockerApiError } from './docker-api.js';
import { mapChanges, mapContainer, mapContainerSummary, mapImage, mapListedContainer, mapManagedContainer, mapManagedVolume, mapManagedNetwork, mapPathStat, mapStats } from './map-docker.js';
import type { ProcessInfo } from '../model/hardening.js';
import { mapTop, TOP_PS_ARGS } from './docker-top.js';
import { defaultDocker, type DockerEndpoint } from './default-docker.js';
import { forPodman, isPodman, withoutPodmanMountPoints } from './podman.js';
import { ProbeRelays } from './docker-relay.js';
import type { Duplex } from 'node:stream';

/** An engine that cannot be reached stays that (call() says so); any other refusal is the container's. */
function refused(op: 'create' | 'start', e: unknown): unknown {
  const code = (e as DockerApiError)?.code;
  return code && UNREACHABLE_CODES.has(code) ? e : containerRefusal(op, e);
}

/** The only dockerode user: each call goes through `call`, which turns failures into RoProfileError. */
export class DockerEngine implements Engine {
  private readonly docker: Docker;
  private readonly endpoint: string;

  /** The run's signal: every wait on the engine ends with it (cleanup calls do not take it). */
  private readonly runSignal: AbortSignal | undefined;

  /** Where the engine was found (DOCKER_HOST, a context, the default socket); absent for a Docker handed in. */
  private readonly found: DockerEndpoint | undefined;
  /** The version answer, asked once: info() and the Podman-specific handling both need it. */
  private versionOnce: Promise<Docker.DockerVersion> | undefined;

  constructor(docker?: Docker, o: { readonly signal?: AbortSignal } = {}) {
    const d = docker ? { docker, found: undefined } : defaultDocker();
    this.docker = d.docker;
    this.found = d.found;
    this.endpoint = describeEndpoint(this.docker, this.found);
    this.runSignal = o.signal;
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

  /** `fn` with a signal that aborts on interrupt or past the bound; either ends it with the error that says which. */
  private async bounded<T>(op: string, o: WaitOptions | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const d = deadline(op, this.runSignal, o?.timeoutMs);
    try {
      if (d.signal.aborted) throw d.why();
      return await this.call(op, () => fn(d.signal));
    } catch (e) {
      throw d.signal.aborted ? d.why(e) : e;
    } finally {
      d.done();
    }
  }

  private async call<T>(op: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof RoProfileError) throw e;
      const code = (e as DockerApiError)?.code;
      if (code && UNREACHABLE_CODES.has(code)) {
        throw new RoProfileError('DOCKER_UNAVAILABLE', `Cannot reach the Docker engine at ${this.endpoint} (${code})`, {
          hint: 'Start the Docker engine, or point DOCKER_HOST at a running one.',
          cause: e,
        });
      }
      throw new RoProfileError('INTERNAL', `Docker ${op} failed: ${apiMessage(e)}`, { cause: e, details: { op } });
    }
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
      loopback: this.found ? this.found.loopback : unix || /^\w+:\/\/(localhost|127\.|\[::1\])/.test(this.endpoint),
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
    await this.call('pull', async () => {
      let stream: NodeJS.ReadableStream;
      try {
        stream = (await this.docker.pull(ref, { abortSignal: signal })) as NodeJS.ReadableStream;
      } catch (e) {
        throw pullError(ref, e);
      }
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          (stream as Readable).destroy();
          reject(new RoProfileError('INTERRUPTED', `Pull of "${ref}" interrupted`));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        this.docker.modem.followProgress(
          stream,
          (err: unknown, out: { error?: string }[]) => {
            signal.removeEventListener('abort', onAbort);
            const failed = out?.find((o) => o.error);
            if (err) reject(pullError(ref, err));
            else if (failed?.error) reject(pullError(ref, new Error(failed.error)));
            else resolve();
          },
          (ev: { status?: string; id?: string; progressDetail?: { current?: number; total?: number } }) => {
            onProgress({
              status: ev.status ?? '',
              ...(ev.id ? { id: ev.id } : {}),
              ...(ev.progressDetail?.current !== undefined ? { current: ev.progressDetail.current } : {}),
              ...(ev.progressDetail?.total !== undefined ? { total: ev.progressDetail.total } : {}),
            });
          },
        );
      });
    });
  }

  async createContainer(asked: ContainerCreateSpec): Promise<string> {
    // Podman differs where the profile depends on it (its own tmpfs, tmpfs ownership): see podman.ts.
    const spec = (await this.podman()) ? forPodman(asked) : asked;
    return this.call('create', async () => {
      const exposed: Record<string, object> = {};
      const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
      for (const p of spec.publishLoopback) {
        exposed[`${p}/tcp`] = {};
        // Never 0.0.0.0: profiling runs untrusted code, so its ports are reachable from this host only.
        bindings[`${p}/tcp`] = [{ HostIp: '127.0.0.1', HostPort: '' }];
      }
      const c: Docker.Container = await this.docker.createContainer({
        Image: spec.image,
        Labels: { ...spec.labels },
        Env: [...spec.env],
        ...(spec.hostname !== undefined ? { Hostname: spec.hostname } : {}),
        ...(spec.user !== undefined ? { User: spec.user } : {}),
        ...(spec.entrypoint !== undefined ? { Entrypoint: [...spec.entrypoint] } : {}),
        ...(spec.cmd !== undefined ? { Cmd: [...spec.cmd] } : {}),
        ExposedPorts: exposed,
        HostConfig: {
          Binds: [...spec.binds],
          Mounts: spec.mounts.map((m) => ({
            Type: m.type,
            Target: m.target,
            Source: m.source ?? '',
            ReadOnly: m.readOnly,
            ...(m.noCopy ? { VolumeOptions: { NoCopy: true } } : {}),
            ...(m.type === 'tmpfs'
              ? {
                  TmpfsOptions: {
                    ...(m.tmpfsSizeBytes ? { SizeBytes: m.tmpfsSizeBytes } : {}),
                    ...(m.tmpfsMode !== undefined ? { Mode: m.tmpfsMode } : {}),
                  },
                }
              : {}),
          })) as unknown as Docker.MountSettings[],
          Tmpfs: { ...spec.tmpfs },
          ReadonlyRootfs: spec.readOnlyRoot,
          PortBindings: bindings,
          ...(spec.network ? { NetworkMode: spec.network } : {}),
          Memory: spec.memoryBytes,
          PidsLimit: spec.pidsLimit,
          ...(spec.nanoCpus !== undefined ? { NanoCpus: spec.nanoCpus } : {}),
          Privileged: false,
          SecurityOpt: ['no-new-privileges'],
          ...(spec.capDrop ? { CapDrop: [...spec.capDrop] } : {}),
          ...(spec.pidMode ? { PidMode: spec.pidMode } : {}),
          ...(spec.capAdd ? { CapAdd: [...spec.capAdd] } : {}),
          ...(spec.groupAdd ? { GroupAdd: [...spec.groupAdd] } : {}),
          AutoRemove: false,
        },
      }).catch((e: unknown) => {
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
    return this.call('attach', async () => {
      const stream = (await this.docker.getContainer(id).attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
      const out = new PassThrough();
      const err = new PassThrough();
      out.on('data', (b: Buffer) => onChunk('stdout', b));
      err.on('data', (b: Buffer) => onChunk('stderr', b));
      this.docker.modem.demuxStream(stream, out, err);
      const ended = finished(stream as Readable)
        .catch(() => undefined)
        .then(async () => {
          out.end();
          err.end();
          await Promise.all([finished(out), finished(err)]);
        });
      return { ended };
    });
  }

  async putArchive(id: string, dir: string, tar: Buffer, o?: WaitOptions): Promise<void> {
    await this.bounded('archive put', o, (abortSignal) => this.docker.getContainer(id).putArchive(tar, { path: dir, abortSignal }));
  }

  async buildImage(context: Buffer, tag: string, labels: Readonly<Record<string, string>>, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    await this.call('build', async () => {
      const stream = await this.docker.buildImage(Readable.from([context]), { t: tag, labels: { ...labels }, rm: true, forcerm: true, abortSignal: signal });
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(
          stream,
          (err: unknown, out: { error?: string }[]) => {
            const failed = out?.find((o) => o.error);
            if (err) reject(err instanceof Error ? err : new Error(String(err)));
            else if (failed?.error) reject(new RoProfileError('CONTAINER_FAILED', `Building ${tag} failed: ${failed.error.trim()}`));
            else resolve();
          },
          (ev: { stream?: string }) => {
            for (const line of (ev.stream ?? '').split('\n')) if (line.trim()) onLine(line);
          },
        );
      });
    });
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
    const d = deadline(`exec of ${JSON.stringify(cmd.join(' ').slice(0, 80))}`, this.runSignal, options.timeoutMs);
    try {
      return await this.call('exec', () => this.execUntil(id, cmd, options.user, d.signal));
    } catch (e) {
      if (!d.signal.aborted) throw e;
      const why = d.why(e);
      // A step that runs past its bound is the container's doing, not the engine's.
      throw why.code === 'INTERRUPTED' ? why : new RoProfileError('CONTAINER_FAILED', `the command did not end within ${Math.round((options.timeoutMs ?? DEFAULT_WAIT_MS) / 1000)} s: ${cmd.join(' ').slice(0, 200)}`, { details: { timedOut: 'true' }, cause: e });
    } finally {
      d.done();
    }
  }

  private async execUntil(id: string, cmd: readonly string[], user: string | undefined, abortSignal: AbortSignal): Promise<ExecOutcome> {
    {
      const ex = await this.docker.getContainer(id).exec({
        Cmd: [...cmd],
        AttachStdout: true,
        AttachStderr: true,
        ...(user ? { User: user } : {}),
        abortSignal,
      });
      const stream = await ex.start({ hijack: true, stdin: false, abortSignal });
      // The hijacked stream outlives the request: end it ourselves on abort.
      const onAbort = () => (stream as unknown as Readable).destroy(new Error('aborted'));
      abortSignal.addEventListener('abort', onAbort, { once: true });
      const out = new PassThrough();
      const err = new PassThrough();
      const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
      out.on('data', (b: Buffer) => chunks.out.push(b));
      err.on('data', (b: Buffer) => chunks.err.push(b));
      this.docker.modem.demuxStream(stream, out, err);
      await finished(stream).catch(() => undefined);
      abortSignal.removeEventListener('abort', onAbort);
      if (abortSignal.aborted) throw new Error('aborted');
      out.end();
      err.end();
      // Wait for both sides to flush before reading (the truncation race testcontainers fixed).
      await Promise.all([finished(out), finished(err)]);
      const st = await ex.inspect({ abortSignal });
      return {
        exitCode: st.ExitCode ?? -1,
        stdout: Buffer.concat(chunks.out).toString('utf8'),
        stderr: Buffer.concat(chunks.err).toString('utf8'),
      };
    }
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
    // The bound covers the whole read, not only the answer: the stream is destroyed past it.
    const d = deadline('archive', this.runSignal, o?.timeoutMs ?? BULK_WAIT_MS);
    const stream = await this.call('archive', async () => (await this.docker.getContainer(id).getArchive({ path, abortSignal: d.signal })) as unknown as Readable).catch((e: unknown) => {
      d.done();
      throw d.signal.aborted ? d.why(e) : e;
    });
    const onAbort = () => stream.destroy(d.why());
    d.signal.addEventListener('abort', onAbort, { once: true });
    stream.once('close', () => {
      d.signal.removeEventListener('abort', onAbort);
      d.done();
    });
    return stream;
  }

  async createVolume(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    await this.call('volume create', () => this.docker.createVolume({ Name: name, Labels: { ...labels } }));
  }

  async volumeExists(name: string): Promise<boolean> {
    return this.call('volume inspect', async () => {
      try {
        await this.docker.getVolume(name).inspect();
        return true;
      } catch (e) {
        if (statusOf(e) === 404) return false;
        throw e;
      }
    });
  }

  async removeVolume(name: string): Promise<void> {
    await this.call('volume remove', async () => {
      try {
        await this.docker.getVolume(name).remove();
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
    });
  }

  async removeNetwork(id: string): Promise<void> {
    await this.call('network remove', async () => {
      try {
        await this.docker.getNetwork(id).remove();
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
    });
  }

  async listImages(labelFilter: readonly string[]): Promise<{ id: string; tags: string[]; createdAt: Date }[]> {
    return this.call('image list', async () =>
      (await this.docker.listImages({ filters: { label: [...labelFilter] } })).map((i) => ({ id: i.Id, tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'), createdAt: new Date(i.Created * 1000) })),
    );
  }

  async removeImage(id: string): Promise<'removed' | 'in-use'> {
    return this.call('image remove', async () => {
      try {
        await this.docker.getImage(id).remove({ force: false });
        return 'removed' as const;
      } catch (e) {
        if (statusOf(e) === 404) return 'removed' as const;
        if (statusOf(e) === 409) return 'in-use' as const;
        throw e;
      }
    });
  }

  async listManaged(labelFilter: readonly string[]): Promise<ManagedObject[]> {
    return this.call('list', async () => {
      const filters = { label: [...labelFilter] };
      const containers = await this.docker.listContainers({ all: true, filters });
      const vols = await this.docker.listVolumes({ filters });
      const networks = await this.docker.listNetworks({ filters });
      return [
        ...containers.map(mapManagedContainer),
        ...(vols.Volumes ?? []).map((v) => mapManagedVolume(v as Docker.VolumeInspectInfo & { CreatedAt?: string })),
        ...networks.map(mapManagedNetwork),
      ];
    });
  }

  async findContainer(ref: string): Promise<ContainerSummary | undefined> {
    return this.call('inspect', async () => {
      try {
        return mapContainerSummary(await this.docker.getContainer(ref).inspect());
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw e;
      }
    });
  }

  async listContainers(): Promise<ContainerSummary[]> {
    return this.call('list', async () => (await this.docker.listContainers({ all: false })).map(mapListedContainer));
  }
}
