import { DockerEngine } from '../../runtime/docker-engine.js';
import type { Engine } from '../../runtime/engine.js';
import { RoProfileError } from '../../errors.js';
import { LABEL_MANAGED, LABEL_SESSION } from '../../runtime/labels.js';
import { describeObject } from '../signals.js';
import { ownerAlive } from '../../runtime/owner.js';
import { parseDuration } from '../durations.js';
import { reportError } from '../output.js';
import { BUILD_LABEL } from '../../trace/tracer-image.js';
import type { GcArgs } from '../commands/gc.js';

/** `ro-profile gc`: removes what dead runs left; sets the exit code. */
export async function runGc(argv: GcArgs): Promise<void> {
  try {
    const olderThanMs = argv.olderThan !== undefined ? parseDuration('older-than', argv.olderThan) : undefined;
    if (argv.session !== undefined && argv.session.trim() === '') throw new RoProfileError('USAGE', '--session needs the session id a run printed', { hint: 'Copy the whole "ro-profile gc --session ..." line the interrupted run printed.' });
    const engine = new DockerEngine();
    const all = await engine.listManaged([`${LABEL_MANAGED}=true`, ...(argv.session !== undefined ? [`${LABEL_SESSION}=${argv.session}`] : [])]);
    const now = Date.now();
    const doomed = argv.session !== undefined ? all : all.filter((o) => !ownerAlive(o) || (olderThanMs !== undefined && now - o.createdAt.getTime() > olderThanMs));
    // Containers first: a volume or network in use cannot be removed.
    const order = { container: 0, volume: 1, network: 2 } as const;
    doomed.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : order[a.kind] - order[b.kind]));
    for (const o of doomed) {
      if (!argv.dryRun) {
        if (o.kind === 'container') await engine.removeContainer(o.id);
        else if (o.kind === 'volume') await engine.removeVolume(o.id);
        else await engine.removeNetwork(o.id);
      }
      if (!argv.json) process.stderr.write(`ro-profile: ${argv.dryRun ? 'would remove' : 'removed'} ${describeObject(o)}\n`);
    }
    const kept = all.length - doomed.length;
    // The tracer images are a cache, not a run's: kept unless asked, and said either way.
    const images = await engine.listImages([`${BUILD_LABEL}=true`]);
    const removedImages: string[] = [];
    const inUse: string[] = [];
    if (argv.images) {
      for (const i of images) {
        const name = i.tags[0] ?? i.id.slice(7, 19);
        // By tag, each: removing an image by id that has two tags is refused like one in use.
        if (!argv.dryRun && (await removeByTags(engine, i)) === 'in-use') inUse.push(name);
        else removedImages.push(name);
        if (!argv.json) process.stderr.write(`ro-profile: ${argv.dryRun ? 'would remove' : inUse.includes(name) ? 'kept (a container uses it)' : 'removed'} tracer image ${name}\n`);
      }
    }
    if (argv.json) {
      const imageReport = { images: argv.images ? { removed: removedImages, inUse } : { kept: images.map((i) => i.tags[0] ?? i.id) } };
      process.stdout.write(`${JSON.stringify({ outcome: 'success', result: { removed: doomed.map((o) => ({ kind: o.kind, id: o.id })), kept, dryRun: argv.dryRun, ...imageReport } })}\n`);
    } else {
      process.stderr.write(`ro-profile: ${doomed.length} ${argv.dryRun ? 'to remove' : 'removed'}, ${kept} kept${argv.session !== undefined ? '' : ' (owned by live runs)'}\n`);
      if (!argv.images && images.length > 0) process.stderr.write(`ro-profile: ${images.length} tool image${images.length === 1 ? '' : 's'} kept (${images.map((i) => i.tags[0] ?? i.id.slice(7, 19)).join(', ')}): a cache for --tracer strace and the probe relay; remove with "ro-profile gc --images"\n`);
    }
    process.exitCode = 0;
  } catch (e) {
    process.exitCode = reportError(e, { json: argv.json, debug: argv.debug });
  }
}

/** Untags each tag (the last one removes the image) or removes an untagged image by id. */
async function removeByTags(engine: Engine, image: { readonly id: string; readonly tags: readonly string[] }): Promise<'removed' | 'in-use'> {
  for (const ref of image.tags.length > 0 ? image.tags : [image.id]) {
    if ((await engine.removeImage(ref)) === 'in-use') return 'in-use';
  }
  return 'removed';
}
