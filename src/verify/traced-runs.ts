import type { Result } from '../model/result.js';
import type { WriteEvent } from '../model/write-event.js';
import type { ContainerCreateSpec, Engine, ExecOutcome } from '../runtime/engine.js';
import { GATE_DIR, gateFileArchive } from '../trace/gate.js';
import { createCapture, gatedSpec, tracedStepRunner } from '../trace/live-trace.js';
import type { TraceCapture } from '../trace/tracer.js';
import type { CleanupScope } from '../pipeline/cleanup-scope.js';
import { verifyVolumeName } from './verify-volume-name.js';
import type { VerifyTracing } from '../pipeline/ports.js';
export type { VerifyTracing } from '../pipeline/ports.js';

/** The gate's own small volume: a read-only root cannot take the gate's busybox, a volume in it can. */
export function gateVolumeName(ctx: { readonly labels: Readonly<Record<string, string>> }, tag: string): string {
  return verifyVolumeName(ctx, tag, GATE_DIR);
}

/**
 * `spec` with the container's real command behind the gate (the argv the writable run ran: the
 * image's, with the run's --entrypoint and command, which every format carries the same way) and
 * the gate's volume mounted at its directory.
 */
export function withGate(spec: ContainerCreateSpec, image: Result['image'], run: Result['run'], volume: string): ContainerCreateSpec {
  return { ...gatedSpec(spec, image, run), mounts: [...spec.mounts, { type: 'volume', source: volume, target: GATE_DIR, readOnly: false, noCopy: true }] };
}

/** Puts the gate's busybox into its volume of the created container (allowed under a read-only root). */
export async function installVerifyGate(engine: Engine, id: string, t: VerifyTracing): Promise<void> {
  await engine.putArchive(id, GATE_DIR, await gateFileArchive(t.tracer.busybox));
}

/** One start of a gated container, traced from its first instruction. */
export interface TracedStart {
  readonly runStep: (command: string, timeoutMs: number) => Promise<ExecOutcome>;
  /** After the container stopped: the writes it was refused, as strace saw them. */
  refused(): Promise<WriteEvent[]>;
}

/** Attaches a tracer to the started, gated container `id` (one per start: a restart is a new pid namespace). */
export async function traceStart(o: { readonly engine: Engine; readonly scope: CleanupScope; readonly id: string; readonly tracing: VerifyTracing; readonly workingDir: string }): Promise<TracedStart> {
  const capture: TraceCapture = createCapture({ method: o.tracing.method, engine: o.engine, scope: o.scope, targetId: o.id, tracer: o.tracing.tracer, labels: o.tracing.labels, workingDir: o.workingDir });
  await capture.attachMain();
  return {
    runStep: tracedStepRunner(o.engine, o.id, capture),
    async refused() {
      const r = await capture.finish();
      return refusedWrites(r.events);
    },
  };
}

/**
 * The traced events that are writes the kernel refused (a failed write, an exec refused, a
 * write check answered "read-only"), the gate's own directory left out.
 */
export function refusedWrites(events: readonly WriteEvent[]): WriteEvent[] {
  return events.filter((e) => e.errno !== undefined && e.realPath !== GATE_DIR && !e.realPath.startsWith(`${GATE_DIR}/`));
}
