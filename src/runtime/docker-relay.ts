import { createHash } from 'node:crypto';
import { Duplex, PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { RoProfileError } from '../errors.js';
import { hostBusybox } from './host-busybox.js';
import { LABEL_ROLE } from './labels.js';
import type { ContainerState } from './engine.js';

/** On every image the tool builds (tracer, relay): `ro-profile gc --images` finds them by it. */
export const BUILD_LABEL = 'io.ro-profile.tracer';

/**
 * Probes that run where the container is, not where we are. A remote engine (tcp://, ssh://)
 * or a VM's engine puts the container on a network this machine does not route to, and
 * publishes its ports on that machine's loopback, not ours. So a small relay container joins
 * the target's network namespace (`--network container:ID`) and each probe connection is an
 * exec of busybox `nc` in it: a byte stream to the port, through the engine's own API. The
 * relay is a FROM-scratch image holding this host's static busybox, built once per engine, so
 * it needs no registry.
 */
export class ProbeRelays {
  private image: Promise<string> | undefined;
  /** One relay per target start: a restarted target has a new namespace, so a new relay. */
  private readonly relays = new Map<string, { start: number; id: Promise<string> }>();

  constructor(
    private readonly docker: Docker,
    private readonly call: <T>(op: string, fn: () => Promise<T>) => Promise<T>,
    private readonly buildImage: (context: Buffer, tag: string, labels: Readonly<Record<string, string>>) => Promise<void>,
  ) {}

  /** The relay image, built once from this host's busybox; a clear error when there is none. */
  prepare(): Promise<string> {
    this.image ??= this.buildRelayImage().catch((e: unknown) => {
      this.image = undefined;
      throw e;
    });
    return this.image;
  }

  private async buildRelayImage(): Promise<string> {
    const bb = await hostBusybox();
    if ('missing' in bb) {
      throw new RoProfileError('DOCKER_UNAVAILABLE', `The engine's containers are not reachable from this machine, and the probe relay cannot be built: ${bb.missing}`, {
        hint: 'Install busybox-static on this machine (the relay that probes from the container\'s own network is built from it, no registry needed), or run ro-profile on the engine\'s host, or use --no-probe.',
      });
    }
    const digest = createHash('sha256').update(bb.body).digest('hex').slice(0, 12);
    const tag = `ro-profile-relay:${digest}`;
    const present = await this.docker
      .getImage(tag)
      .inspect()
      .then(() => true)
      .catch(() => false);
    if (!present) await this.buildImage(await relayContext(bb.body), tag, { [BUILD_LABEL]: 'true' });
    return tag;
  }

  /** A byte stream to `host:port` as seen from inside the target's network namespace. */
  async open(target: ContainerState, host: string, port: number): Promise<Duplex> {
    const relay = await this.relayFor(target);
    return this.call('relay', async () => {
      const ex = await this.docker.getContainer(relay).exec({ Cmd: ['/bin/busybox', 'nc', host, String(port)], AttachStdin: true, AttachStdout: true, AttachStderr: true });
      const raw = (await ex.start({ hijack: true, stdin: true })) as unknown as Duplex;
      return demuxedDuplex(this.docker, raw);
    });
  }

  private relayFor(target: ContainerState): Promise<string> {
    const known = this.relays.get(target.id);
    if (known && known.start === target.startedAtMs) return known.id;
    if (known) void this.remove(target.id);
    const id = this.createRelay(target);
    this.relays.set(target.id, { start: target.startedAtMs, id });
    id.catch(() => this.relays.delete(target.id));
    return id;
  }

  private async createRelay(target: ContainerState): Promise<string> {
    const image = await this.prepare();
    return this.call('relay', async () => {
      // The target's own labels (session, pid, host): whatever finds the target finds its relay.
      const labels = { ...((await this.docker.getContainer(target.id).inspect()).Config.Labels ?? {}), [LABEL_ROLE]: 'relay' };
      // A target that shares another container's namespace (a pod's app container): join that one.
      const owner = target.networkMode.startsWith('container:') ? target.networkMode.slice('container:'.length) : target.id;
      const c = await this.docker.createContainer({
        Image: image,
        Labels: labels,
        User: '65534:65534',
        Entrypoint: ['/bin/busybox', 'sleep', '2147483647'],
        HostConfig: { NetworkMode: `container:${owner}`, ReadonlyRootfs: true, CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'], Memory: 32 * 1024 * 1024, PidsLimit: 64, AutoRemove: false },
      });
      // One that cannot start is removed here: nothing else knows its id.
      await c.start().catch(async (e: unknown) => {
        await c.remove({ force: true }).catch(() => undefined);
        throw e;
      });
      return c.id;
    });
  }

  /** Removes the relay of a target (before the target goes: it holds the target's namespace). */
  async remove(targetId: string): Promise<void> {
    const known = this.relays.get(targetId);
    if (!known) return;
    this.relays.delete(targetId);
    const id = await known.id.catch(() => undefined);
    if (id) await this.docker.getContainer(id).remove({ force: true }).catch(() => undefined);
  }
}

/** Dockerfile + busybox: the whole relay image. */
function relayContext(busybox: Buffer): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name: 'Dockerfile', mode: 0o644 }, 'FROM scratch\nCOPY busybox /bin/busybox\n');
  pack.entry({ name: 'busybox', mode: 0o755 }, busybox);
  pack.finalize();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    pack.on('data', (b: unknown) => void chunks.push(b as Buffer));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
}

/** The exec's stdout as the readable side (stderr dropped: nc's own complaints), the raw socket as the writable side. */
function demuxedDuplex(docker: Docker, raw: Duplex): Duplex {
  const out = new PassThrough();
  docker.modem.demuxStream(raw, out, new PassThrough().resume());
  raw.once('end', () => out.end());
  const d = new Duplex({
    read() {
      out.resume();
    },
    write(chunk, enc, cb) {
      raw.write(chunk, enc, cb);
    },
    final(cb) {
      raw.end(cb);
    },
    destroy(err, cb) {
      raw.destroy();
      cb(err);
    },
  });
  out.on('data', (b: Buffer) => {
    if (!d.push(b)) out.pause();
  });
  out.once('end', () => {
    d.push(null);
    d.destroy();
  });
  raw.once('error', (e) => d.destroy(e));
  raw.once('close', () => d.destroy());
  return d;
}
