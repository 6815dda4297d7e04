// The tracer's names the CLI's flags need, alone here so that they load without the tracer.

export { TRACE_METHODS, type TraceMethod } from '../model/trace-method.js';

/** The base the tool builds its tracer image from when the user names none. */
export const DEFAULT_TRACER_BASE = 'debian:bookworm-slim';
