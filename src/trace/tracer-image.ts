import { createHash } from 'node:crypto';
import { RoProfileError, messageOf } from '../errors.js';
import { readFirstFile } from '../harvest/archive.js';
import type { CleanupScope } from '../pipeline/cleanup-scope.js';
import { openImageView } from '../pipeline/image-view.js';
import type { Reporter } from '../pipeline/reporter.js';
import { resolveImage } from '../pipeline/resolve.js';
import type { Engine } from '../runtime/engine.js';
import { isStaticElf } from './gate.js';
import { HOST_BASE, STRACE_PATHS, hostBinaries, hostTracerContext, type HostBinaries } from './host-binaries.js';
import { tarOf } from './tar.js';

import type { TracerImage } from '../pipeline/ports.js';
import { BUILD_LABEL } from '../runtime/docker-relay.js';
export type { TracerImage } from '../pipeline/ports.js';
export { DEFAULT_TRACER_BASE } from './tracer-choices.js';
/** On every image the tool builds (tracer and relay): `ro-profile gc --images` finds them by it. */
export { BUILD_LABEL };
const BUSYBOX = '/bin/busybox';

/** What a tracer image must hold; a Debian-like base gets it from two packages. */
export function tracerDockerfile(base: string): string {
  return [
    `FROM ${base}`,
    'RUN apt-get update -q \\',
    ' && DEBIAN_FRONTEND=noninteractive apt-get install -yq --no-install-recommends strace busybox-static \\',
    ' && rm -rf /var/lib/apt/lists/*',
    '',
  ].join('\n');
}

/** The tag of the image built from `base`: same base and recipe, same tag, so it is built once. */
export function tracerTag(base: string, baseId: string): string {
  const h = createHash('sha256').update(tracerDockerfile(base)).update(baseId).digest('hex').slice(0, 12);
  return `ro-profile-tracer:${h}`;
}

/**
 * The image the tracer runs from: the user's --tracer-image as is (pulled when absent), else
 * one the tool builds once from --tracer-base with strace and busybox-static. Either way it
 * must hold strace and a static /bin/busybox; a clear error says what is missing.
 */
export async function prepareTracerImage(o: {
  readonly engine: Engine;
  readonly reporter: Reporter;
  readonly signal: AbortSignal;
  readonly image?: string;
  readonly base: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly scope: CleanupScope;
}): Promise<TracerImage> {
  const { engine, reporter, signal } = o;
  let ref = o.image;
  if (ref === undefined && o.base === HOST_BASE) ref = await assembleFromHost(o);
  if (ref === undefined) {
    let baseId: string | undefined;
    try {
      baseId = (await resolveImage(engine, o.base, reporter, signal)).id;
    } catch (e) {
      if (signal.aborted) throw e;
      // No registry (or no such base): this host's own strace and busybox need none.
      const host = await hostBinaries();
      if ('missing' in host) {
        throw new RoProfileError('IMAGE_NOT_FOUND', `The tracer image is built from "${o.base}", which is not available: ${messageOf(e)}; nor can it be assembled from this host's binaries: ${host.missing}`, {
          hint: 'Without a registry: install strace and busybox-static on this host (then --tracer-base host assembles the image from them), or name an image on the engine that holds strace and a static /bin/busybox with --tracer-image, or use --tracer-method host where the engine shares this kernel. With one: name a base the engine can pull with --tracer-base (Debian or Ubuntu).',
          cause: e,
        });
      }
      reporter.info(`"${o.base}" is not available (${messageOf(e).split('\n')[0]}); assembling the tracer image from this host's strace and busybox instead`);
      ref = await assembleFromHost(o, host);
    }
    if (baseId !== undefined) ref = await buildFromBase(o, baseId);
  }
  return checkTracerImage(o, ref!);
}

/** The image of `tracerDockerfile(base)`, built once per base id. */
async function buildFromBase(o: { readonly engine: Engine; readonly reporter: Reporter; readonly signal: AbortSignal; readonly base: string }, baseId: string): Promise<string> {
  const { engine, reporter, signal } = o;
  const ref = tracerTag(o.base, baseId);
  if (!(await engine.inspectImage(ref))) {
    reporter.info(`building the tracer image ${ref} from ${o.base} (strace, busybox-static); done once`);
    await engine.buildImage(await tarOf([{ name: 'Dockerfile', type: 'file', mode: 0o644, body: tracerDockerfile(o.base) }]), ref, { [BUILD_LABEL]: 'true' }, () => undefined, signal).catch((e: unknown) => {
      throw new RoProfileError('CONTAINER_FAILED', `Could not build the tracer image from "${o.base}": ${messageOf(e)}`, {
        hint: 'The build installs strace and busybox-static with apt-get; give a Debian-based --tracer-base whose package mirror the engine reaches, or an image that has both with --tracer-image; without a registry, --tracer-base host assembles it from this host\'s strace and busybox-static.',
        cause: e,
      });
    });
  }
  return ref;
}

/** `--tracer-base host`, or the fallback without a registry: FROM scratch plus this host's binaries. */
async function assembleFromHost(o: { readonly engine: Engine; readonly reporter: Reporter; readonly signal: AbortSignal }, found?: HostBinaries): Promise<string> {
  const host = found ?? (await hostBinaries());
  if ('missing' in host) {
    throw new RoProfileError('USAGE', `--tracer-base host assembles the tracer image from this host's binaries, but there is ${host.missing}`, {
      hint: 'Install strace and busybox-static here, or name an image that holds both with --tracer-image.',
    });
  }
  const { context, digest } = await hostTracerContext(host);
  const ref = `ro-profile-tracer:host-${digest}`;
  if (!(await o.engine.inspectImage(ref))) {
    o.reporter.info(`assembling the tracer image ${ref} from this host's ${host.strace} (${host.libs.length} libraries) and ${host.busyboxPath}; no registry needed, done once`);
    await o.engine.buildImage(await tarOf(context), ref, { [BUILD_LABEL]: 'true' }, () => undefined, o.signal).catch((e: unknown) => {
      throw new RoProfileError('CONTAINER_FAILED', `Could not assemble the tracer image from this host's binaries: ${messageOf(e)}`, {
        hint: 'Name an image that holds strace and a static /bin/busybox with --tracer-image.',
        cause: e,
      });
    });
  }
  return ref;
}

/** The image must hold strace and a static busybox (the gate); a clear error says what is missing. */
async function checkTracerImage(o: { readonly engine: Engine; readonly reporter: Reporter; readonly signal: AbortSignal; readonly labels: Readonly<Record<string, string>>; readonly scope: CleanupScope }, ref: string): Promise<TracerImage> {
  const { engine, reporter, signal } = o;
  const image = await resolveImage(engine, ref, reporter, signal);
  const view = await openImageView(engine, image.id, o.labels, o.scope);
  const bb = await engine
    .getArchive(view, BUSYBOX)
    .then((tar) => readFirstFile(tar, 16 * 1024 * 1024))
    .catch(() => undefined);
  if (!bb || !isStaticElf(bb.body)) {
    throw new RoProfileError('USAGE', `The tracer image "${ref}" has no static busybox at ${BUSYBOX}${bb ? ' (it is dynamically linked)' : ''}`, {
      hint: 'The gate that holds the app until strace is attached runs on it, also in images without a shell; install Debian\'s busybox-static in the tracer image.',
    });
  }
  let hasStrace = false;
  for (const p of STRACE_PATHS) if ((await engine.statPath(view, p)) !== undefined) hasStrace = true;
  if (!hasStrace) {
    throw new RoProfileError('USAGE', `The tracer image "${ref}" has no strace (looked in ${STRACE_PATHS.join(', ')})`, {
      hint: 'Install strace in the tracer image, or leave out --tracer-image to let ro-profile build one.',
    });
  }
  return { ref, id: image.id, busybox: bb.body };
}
