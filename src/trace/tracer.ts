import { RoProfileError } from '../errors.js';
import { StraceParser, type StraceResult } from '../strace/strace-parser.js';
import type { WriteEvent } from '../model/write-event.js';
import { noticeSplicer } from './strace-command.js';

export type { TraceCapture } from '../pipeline/ports.js';
export { TRACE_METHODS, type TraceMethod } from './tracer-choices.js';

/** How long a tracer may take to seize its process before the run fails. */
export const ATTACH_TIMEOUT_MS = 20_000;
/** How long strace may take to drain after the container stopped. */
export const DRAIN_TIMEOUT_MS = 30_000;

export const ANALYZE_STRACE_HINT =
  'Tracing needs ptrace on the container (Docker\'s default seccomp and AppArmor profiles allow it; hardened engines may not). Without the live tracer, capture a trace yourself (strace -f -y -o FILE) and run "ro-profile analyze-strace FILE --image IMAGE", or profile without --tracer.';

export function traceError(message: string, output: readonly string[]): RoProfileError {
  const tail = output.filter((l) => l.trim() !== '').slice(-8);
  return new RoProfileError('CONTAINER_FAILED', `${message}${tail.length > 0 ? `:\n${tail.join('\n')}` : ''}`, { hint: ANALYZE_STRACE_HINT });
}

/** Parses several traces (the container's and each exec step's) into one list of events. */
export class TraceCollector {
  private readonly results: StraceResult[] = [];

  constructor(private readonly initialCwd: string) {}

  /** A parser for one strace process's output; hand its result back with `add`. */
  parser(source: string): StraceParser {
    return new StraceParser({ source, initialCwd: this.initialCwd });
  }

  addText(source: string, text: string): void {
    const p = this.parser(source);
    const push = noticeSplicer((line) => p.push(line), () => undefined);
    for (const line of text.split('\n')) push(line.endsWith('\r') ? line.slice(0, -1) : line);
    this.add(p.end());
  }

  add(r: StraceResult): void {
    this.results.push(r);
  }

  result(): StraceResult {
    const events: WriteEvent[] = [];
    const seen = new Set<string>();
    const stats = { lines: 0, parsed: 0, malformed: 0, examples: [] as string[] };
    for (const r of this.results) {
      for (const e of r.events) {
        const key = JSON.stringify(e);
        if (!seen.has(key)) {
          seen.add(key);
          events.push(e);
        }
      }
      stats.lines += r.stats.lines;
      stats.parsed += r.stats.parsed;
      stats.malformed += r.stats.malformed;
      stats.examples.push(...r.stats.examples.slice(0, 5 - stats.examples.length));
    }
    return { events, stats };
  }
}

/** The traces of several starts of one container as one (a profile's restart step ends a trace). */
export function mergeTraces(parts: readonly StraceResult[]): StraceResult {
  const c = new TraceCollector('/');
  for (const p of parts) c.add(p);
  return c.result();
}

/** Resolves with `p`, or rejects after `ms` with `onTimeout()`. */
export function within<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
