import type { Tracer, TracerOptions } from '../pipeline/ports.js';
import { GATE_DIR } from './gate.js';
import { createCapture, gatedSpec, installGate, prepareTracing, tracedStepRunner } from './live-trace.js';
import { mergeTraces } from './tracer.js';

/** The pipeline's Tracer port for --tracer strace with these options (the CLI hands it to profileImage). */
export function liveTracer(options: TracerOptions): Tracer {
  return {
    options,
    gateDir: GATE_DIR,
    prepare: (o) => prepareTracing({ ...o, tracer: options }),
    gatedSpec,
    installGate,
    capture: (o) => createCapture({ ...o, method: options.method }),
    stepRunner: tracedStepRunner,
    merge: mergeTraces,
  };
}
