import { randomBytes } from 'node:crypto';
import { RoProfileError } from '../errors.js';
import type { CleanupScope } from '../pipeline/cleanup-scope.js';
import type { Reporter } from '../pipeline/reporter.js';
import type { ContainerCreateSpec, Engine, EngineInfo, ExecOutcome } from '../runtime/engine.js';
import { GATE_TIMEOUT_EXIT, effectiveArgv, gateArchive, gatedMain, gatedStep } from './gate.js';
import { hostBusybox } from './host-binaries.js';
import { HostTracer, hostAttachBlocker } from './host-tracer.js';
import { SidecarTracer } from './sidecar-tracer.js';
import { prepareTracerImage, type TracerImage } from './tracer-image.js';
import { ANALYZE_STRACE_HINT, traceError, type TraceCapture, type TraceMethod } from './tracer.js';
import type { TracerOptions } from '../pipeline/ports.js';
export type { TracerOptions } from '../pipeline/ports.js';

/**
 * Everything a traced run needs, settled before the app is launched: whether the method can
 * work here, and the tracer image (its static busybox is the gate).
 */
export async function prepareTracing(o: {
  readonly engine: Engine;
  readonly engineInfo: EngineInfo;
  readonly reporter: Reporter;
  readonly signal: AbortSignal;
  readonly tracer: TracerOptions;
  readonly labels: Readonly<Record<string, string>>;
  readonly scope: CleanupScope;
}): Promise<TracerImage> {
  if (o.tracer.method === 'host') {
    const why = await hostAttachBlocker(o.engineInfo);
    if (why) {
      throw new RoProfileError('USAGE', `--tracer-method host cannot trace here: ${why}`, {
        hint: `Use --tracer-method sidecar (the default: strace in a container beside the app, works with any engine). ${ANALYZE_STRACE_HINT}`,
      });
    }
    // strace runs here: the gate's static busybox is all it needs, from this host, no image.
    if (o.tracer.image === undefined) {
      const bb = await hostBusybox();
      if ('missing' in bb) {
        throw new RoProfileError('USAGE', `--tracer-method host needs a static busybox for the gate that holds the app until strace attaches, and there is ${bb.missing}`, {
          hint: 'Install busybox-static on this host, or name an image that holds a static /bin/busybox with --tracer-image.',
        });
      }
      return { ref: `host (${bb.path})`, id: '', busybox: bb.body };
    }
  }
  return prepareTracerImage({
    engine: o.engine,
    reporter: o.reporter,
    signal: o.signal,
    ...(o.tracer.image !== undefined ? { image: o.tracer.image } : {}),
    base: o.tracer.base,
    labels: o.labels,
    scope: o.scope,
  });
}

/** The create spec with the container's real command behind the gate. */
export function gatedSpec(spec: ContainerCreateSpec, image: { entrypoint: readonly string[]; cmd: readonly string[] }, run: { entrypoint?: string; command: readonly string[] }): ContainerCreateSpec {
  const argv = effectiveArgv(image, run);
  if (argv.length === 0) {
    throw new RoProfileError('USAGE', 'The image has neither ENTRYPOINT nor CMD, so there is nothing to trace', {
      hint: 'Give the command after "--".',
    });
  }
  return { ...spec, ...gatedMain(argv) };
}

/** Puts the gate into the created (not yet started) container, through the archive API. */
export async function installGate(engine: Engine, id: string, tracer: TracerImage): Promise<void> {
  await engine.putArchive(id, '/', await gateArchive(tracer.busybox));
}

export function createCapture(o: {
  readonly method: TraceMethod;
  readonly engine: Engine;
  readonly scope: CleanupScope;
  readonly targetId: string;
  readonly tracer: TracerImage;
  readonly labels: Readonly<Record<string, string>>;
  readonly workingDir: string;
}): TraceCapture {
  const common = { engine: o.engine, scope: o.scope, targetId: o.targetId, workingDir: o.workingDir || '/' };
  return o.method === 'host' ? new HostTracer(common) : new SidecarTracer({ ...common, tracerImageId: o.tracer.id, labels: o.labels });
}

/** Runs `sh -c COMMAND` as an exec step behind the gate, traced from its first instruction. */
export function tracedStepRunner(engine: Engine, id: string, capture: TraceCapture): (command: string, timeoutMs: number) => Promise<ExecOutcome> {
  return async (command, timeoutMs) => {
    const token = `ro-profile-step-${randomBytes(6).toString('hex')}`;
    const step = engine.exec(id, gatedStep(token, ['sh', '-c', command]), { timeoutMs });
    const traced = capture.traceStep(token);
    traced.catch(() => undefined);
    const r = await step;
    if (r.exitCode === GATE_TIMEOUT_EXIT && r.stderr.includes('ro-profile gate:')) {
      await traced;
      throw traceError(`The tracer never attached to --exec "${command}"`, r.stderr.split('\n'));
    }
    // Not awaited: a step that starts a daemon is traced until the container stops (finish()).
    return r;
  };
}
