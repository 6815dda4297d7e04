// The tracer's names the CLI's flags and gc need, alone here so that they load without the tracer.

export { TRACE_METHODS, type TraceMethod } from '../model/trace-method.js';

/** The base the tool builds its tracer image from when the user names none. */
export const DEFAULT_TRACER_BASE = 'debian:bookworm-slim';
/** On every tracer image the tool builds: `ro-profile gc --images` finds them by it. */
export const BUILD_LABEL = 'io.ro-profile.tracer';
