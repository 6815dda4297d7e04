import { createHash } from 'node:crypto';
import { RoProfileError, messageOf } from '../errors.js';
import { readFirstFile } from '../harvest/archive.js';
import type { CleanupScope } from '../pipeline/cleanup-scope.js';
import { openImageView } from '../pipeline/image-view.js';
import type { Reporter } from '../pipeline/reporter.js';
import { resolveImage } from '../pipeline/resolve.js';
import type { Engine } from '../runtime/engine.js';
import { isStaticElf } from './gate.js';
import { tarOf } from './tar.js';

/** The base the tool builds its tracer image from when the user names none. */
export const DEFAULT_TRACER_BASE = 'debian:bookworm-slim';
const BUILD_LABEL = 'io.ro-profile.tracer';
const BUSYBOX = '/bin/busybox';
const STRACE_PATHS = ['/usr/bin/strace', '/bin/strace', '/usr/local/bin/strace'];

export interface TracerImage {
  /** The reference used (the user's --tracer-image, or the tag the tool built). */
  readonly ref: string;
  readonly id: string;
  /** A static busybox from the image: the gate that runs inside the traced container. */
  readonly busybox: Buffer;
}

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
  if (ref === undefined) {
    const base = await resolveImage(engine, o.base, reporter, signal).catch((e: unknown) => {
      throw new RoProfileError('IMAGE_NOT_FOUND', `The tracer image is built from "${o.base}", which is not available: ${messageOf(e)}`, {
        hint: 'Name a base the engine can pull with --tracer-base (Debian or Ubuntu), or an image holding strace and busybox-static with --tracer-image. Without tracing, capture a trace yourself and run "ro-profile analyze-strace".',
        cause: e,
      });
    });
    ref = tracerTag(o.base, base.id);
    if (!(await engine.inspectImage(ref))) {
      reporter.info(`building the tracer image ${ref} from ${o.base} (strace, busybox-static); done once`);
      await engine.buildImage(await tarOf([{ name: 'Dockerfile', type: 'file', mode: 0o644, body: tracerDockerfile(o.base) }]), ref, { [BUILD_LABEL]: 'true' }, () => undefined, signal).catch((e: unknown) => {
        throw new RoProfileError('CONTAINER_FAILED', `Could not build the tracer image from "${o.base}": ${messageOf(e)}`, {
          hint: 'The build installs strace and busybox-static with apt-get; give a Debian-based --tracer-base whose package mirror the engine reaches, or an image that has both with --tracer-image.',
          cause: e,
        });
      });
    }
  }
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
