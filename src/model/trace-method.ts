/** How --tracer strace attaches (--tracer-method): a data type of the result (exercise.trace.method) as much as a flag. */
export const TRACE_METHODS = ['sidecar', 'host'] as const;
export type TraceMethod = (typeof TRACE_METHODS)[number];
