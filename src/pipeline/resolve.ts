import { RoProfileError } from '../errors.js';
import type { ImageFacts } from '../model/image-facts.js';
import type { RunSpec } from '../model/run-spec.js';
import type { Engine } from '../runtime/engine.js';
import type { Reporter } from './reporter.js';
import { containerPortOfPublish } from '../syntax/publish.js';

/** Finds the image locally or pulls it; exit 4 (IMAGE_NOT_FOUND) when neither works. */
export async function resolveImage(
  engine: Engine,
  ref: string,
  reporter: Reporter,
  signal: AbortSignal,
): Promise<ImageFacts> {
  const local = await engine.inspectImage(ref);
  if (local) return local;
  reporter.info(`image "${ref}" is not present locally, pulling it`);
  const layers = new Map<string, { current: number; total: number }>();
  let lastShown = 0;
  await engine.pullImage(
    ref,
    (p) => {
      if (p.id && p.total) layers.set(p.id, { current: p.current ?? 0, total: p.total });
      const now = Date.now();
      if (now - lastShown < 1000) return;
      lastShown = now;
      let cur = 0;
      let tot = 0;
      for (const l of layers.values()) {
        cur += l.current;
        tot += l.total;
      }
      reporter.info(tot > 0 ? `pulling ${ref}: ${formatMiB(cur)} of ${formatMiB(tot)}` : `pulling ${ref}: ${p.status}`);
    },
    signal,
  );
  const pulled = await engine.inspectImage(ref);
  if (!pulled) {
    throw new RoProfileError('IMAGE_NOT_FOUND', `Image "${ref}" was pulled but cannot be inspected`, {
      hint: 'Check the reference; a platform mismatch can cause this.',
    });
  }
  return pulled;
}

function formatMiB(n: number): string {
  return `${(n / 1048576).toFixed(1)} MiB`;
}

/** The ports the exercise probes: TCP ports the image exposes plus the container side of --publish. */
export function probePorts(image: ImageFacts, publish: readonly string[]): number[] {
  const ports = new Set<number>();
  for (const p of image.exposedPorts) if (p.protocol === 'tcp') ports.add(p.port);
  for (const spec of publish) {
    const port = containerPortOfPublish(spec);
    if (port !== undefined) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}

/** The exercise's probe ports (none with --no-probe). */
export function withProbePorts(run: RunSpec, image: ImageFacts): RunSpec {
  // The ports a profile's steps and readiness talk to are published for the run too.
  const named = [...(run.exercise.steps ?? []).flatMap((s) => (s.kind === 'http' || s.kind === 'tcp' ? [s.port] : [])), ...(run.exercise.ready?.ports ?? []), ...(run.exercise.ready?.http ? [run.exercise.ready.http.port] : [])];
  const probed = run.exercise.probe === false ? [] : probePorts(image, run.publish);
  return { ...run, exercise: { ...run.exercise, probePorts: [...new Set([...probed, ...named])].sort((a, b) => a - b) } };
}
