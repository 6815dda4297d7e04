import type { WriteEvent } from '../model/write-event.js';
import { FS_HANDLERS } from './fs-handlers.js';
import { CLONE_NAMES, PROC_HANDLERS, SKIP_UNPARSED } from './proc-handlers.js';
import { cloneShare, NO_PID, ProcessTable } from './process-table.js';
import { parseSyscallText } from './strace-args-parse.js';
import { ownLine, type LineCopy } from './line-splitter.js';
import { parseStraceLine } from './strace-line-parse.js';
import { FirstLook, Look, NameTable, type SkipTest } from './skip-scan.js';
import type { SyscallContext, SyscallHandler } from './syscall-context.js';

/** What was read: every line is either blank, parsed or malformed (`lines` counts all three). */
export interface StraceStats {
  readonly lines: number;
  readonly parsed: number;
  readonly malformed: number;
  /** Up to 5 malformed lines, each as `FILE:LINE: text (why)`. */
  readonly examples: readonly string[];
}

export interface StraceResult {
  /** One event per distinct (op, path, realPath, errno, type, mode, uid, gid), in order of first sight. */
  readonly events: WriteEvent[];
  readonly stats: StraceStats;
}

const MAX_EXAMPLES = 5;
const MAX_EXAMPLE_CHARS = 200;

/** Every syscall that writes, executes, or changes what a later path means; all others are skipped unparsed. */
const HANDLERS: ReadonlyMap<string, SyscallHandler> = new Map([...FS_HANDLERS, ...PROC_HANDLERS]);
/** The handled names for the first look at a line, each with its skip test. */
const HANDLED = new NameTable<SkipTest | undefined>([...HANDLERS.keys()].map((name) => [name, SKIP_UNPARSED.get(name)] as const));

/**
 * Turns strace output (`strace -f -y -o FILE …`, or the `-ff` files) into write events, one line
 * at a time with memory that does not grow with the trace: state is kept per live process
 * (cwd, descriptors, the first half of an unfinished call) and events are deduplicated.
 *
 * Paths are resolved lexically against the process's cwd or the `*at()` descriptor; symlinks are
 * not resolved here. When the base of a relative path is unknown (the trace began after the
 * chdir and strace printed no `AT_FDCWD</dir>`), the event is still emitted and its `realPath`
 * stays relative: a consumer tells it apart by the missing leading "/".
 */
export class StraceParser {
  private source: string;
  private lineNo = 0;
  private lines = 0;
  private parsed = 0;
  private malformed = 0;
  private readonly examples: string[] = [];
  private readonly table: ProcessTable;
  /** Pids seen on lines and not exited: when one is left, lines without a pid are its. */
  private readonly live = new Set<number>();
  /** The pid last added to `live` and not exited since, so a run of its lines costs no Set lookups. */
  private lastLive = -1;
  private readonly look = new FirstLook(HANDLED);
  /** The first half of a call per pid, from `(` to just before ` <unfinished ...>`. */
  private readonly unfinished = new Map<number, { readonly name: string; readonly text: string }>();
  /** The distinct events in order of first sight, and the same by realPath (a few per path) to find a repeat. */
  private readonly events: WriteEvent[] = [];
  private readonly eventsByPath = new Map<string, WriteEvent[]>();
  private issue: string | undefined;
  private readonly emitEvent = (e: WriteEvent): void => {
    const seen = this.eventsByPath.get(e.realPath);
    if (seen === undefined) this.eventsByPath.set(e.realPath, [e]);
    else if (seen.some((s) => sameEvent(s, e))) return;
    else seen.push(e);
    this.events.push(e);
  };
  private readonly raiseIssue = (reason: string): void => {
    this.issue ??= reason;
  };

  constructor(options: { readonly source?: string; readonly initialCwd?: string } = {}) {
    this.source = options.source ?? '<input>';
    this.table = new ProcessTable(options.initialCwd);
  }

  /** Names the file the next lines come from (line numbers restart at 1); state carries over, as -ff files need. */
  setSource(source: string): void {
    this.source = source;
    this.lineNo = 0;
  }

  /** Lines parsed so far. */
  get parsedLines(): number {
    return this.parsed;
  }

  /**
   * The line `text.slice(start, end)` (without its newline), as {@link push}; a line that can only
   * be counted (most are) is counted without being cut out of `text`. `own` copies a line out
   * of `text` into a string of its own (so that what is kept of it does not pin all of `text`).
   */
  pushRange(text: string, start: number, end: number, pid?: number, own: LineCopy = ownLine): void {
    const look = this.look.scan(text, start, end);
    const linePid = this.look.pid;
    if (look === Look.Handled) {
      this.lineNo++;
      this.lines++;
      if (linePid >= 0) this.noteLive(linePid);
      const p = linePid >= 0 ? linePid : (pid ?? this.soleLive() ?? NO_PID);
      const { name, open, unfinishedAt } = this.look;
      // Known handled, so the map look-up cannot miss.
      this.syscall(own(text, start, end), name, open - start, unfinishedAt < 0 ? -1 : unfinishedAt - start, p, HANDLERS.get(name)!);
      return;
    }
    // A resumed call whose first half was not kept (most are: reads, waits) ends in resumed() with nothing to join.
    if (look === Look.Other || (look === Look.Resumed && (this.unfinished.has(linePid) || this.unfinished.has(NO_PID)))) {
      this.push(own(text, start, end), pid);
      return;
    }
    this.lineNo++;
    this.lines++;
    this.parsed++;
    if (linePid >= 0) this.noteLive(linePid);
  }

  /** One line, without its newline; `pid` given for -ff files (trace.PID), used when the line has no pid prefix. */
  push(line: string, pid?: number): void {
    this.lineNo++;
    this.lines++;
    const l = parseStraceLine(line);
    if ('pid' in l && l.pid !== undefined) {
      if (l.kind === 'exit') {
        this.live.delete(l.pid);
        this.lastLive = -1;
      } else {
        this.noteLive(l.pid);
      }
    }
    // strace writing to stderr drops the `[pid N]` prefix again once a single process is left.
    const sole = pid ?? this.soleLive();
    if (sole !== undefined) pid = sole;
    switch (l.kind) {
      case 'blank':
        return;
      case 'notice':
      case 'signal':
        this.parsed++;
        return;
      case 'exit': {
        const p = l.pid ?? pid ?? NO_PID;
        this.table.exited(p);
        this.unfinished.delete(p);
        this.parsed++;
        return;
      }
      case 'malformed':
        this.bad(line, l.reason);
        return;
      case 'syscall': {
        const handler = HANDLERS.get(l.name);
        if (handler === undefined || (l.unfinishedAt < 0 && SKIP_UNPARSED.get(l.name)?.(line, l.open, line.length) === true)) {
          this.parsed++;
          return;
        }
        this.syscall(line, l.name, l.open, l.unfinishedAt, l.pid ?? pid ?? NO_PID, handler);
        return;
      }
      case 'resumed':
        this.resumed(line, l.pid ?? pid ?? NO_PID, l.name, l.restAt);
        return;
      default: {
        const never: never = l;
        throw new Error(`unhandled line kind ${String(never)}`);
      }
    }
  }

  /** The events and counts so far. */
  end(): StraceResult {
    return {
      events: [...this.events],
      stats: { lines: this.lines, parsed: this.parsed, malformed: this.malformed, examples: [...this.examples] },
    };
  }

  /** A handled call that cannot be skipped: run now, or its first half kept until it resumes. */
  private syscall(line: string, name: string, open: number, unfinishedAt: number, pid: number, handler: SyscallHandler): void {
    if (unfinishedAt < 0) {
      this.run(line, { pid, name, text: line, open }, handler);
      return;
    }
    const text = line.slice(open, unfinishedAt);
    this.unfinished.set(pid, { name, text });
    if (CLONE_NAMES.has(name)) this.table.cloneStarted(pid, cloneShare(name, text));
    this.parsed++;
  }

  /** The one live process, when only one is left. */
  private soleLive(): number | undefined {
    return this.live.size === 1 ? this.live.values().next().value : undefined;
  }

  private noteLive(pid: number): void {
    if (pid === this.lastLive) return;
    this.live.add(pid);
    this.lastLive = pid;
  }

  private resumed(line: string, pid: number, name: string, restAt: number): void {
    let start = this.unfinished.get(pid);
    if (start === undefined && pid !== NO_PID && !this.table.has(pid)) {
      // strace writing to stderr prints the first process without a pid until it has a child.
      const orphan = this.unfinished.get(NO_PID);
      if (orphan !== undefined && (name === '' || orphan.name === name)) {
        this.table.alias(pid, NO_PID);
        this.unfinished.delete(NO_PID);
        start = orphan;
      }
    }
    this.unfinished.delete(pid);
    const handler = start === undefined ? undefined : HANDLERS.get(start.name);
    // No first half (it came before strace attached, or -e trace= left it out) or an uninteresting call: nothing to join.
    if (start === undefined || handler === undefined || (name !== '' && name !== start.name)) {
      this.parsed++;
      return;
    }
    this.run(line, { pid, name: start.name, text: start.text + line.slice(restAt), open: 0 }, handler);
  }

  private run(line: string, call: { pid: number; name: string; text: string; open: number }, handler: SyscallHandler): void {
    const parsed = parseSyscallText(call.text, call.open);
    if (parsed.kind === 'bad') {
      this.bad(line, parsed.reason);
      return;
    }
    this.issue = undefined;
    const ctx: SyscallContext = {
      pid: call.pid,
      proc: this.table.get(call.pid),
      table: this.table,
      name: call.name,
      args: parsed.args,
      result: parsed.result,
      emit: this.emitEvent,
      issue: this.raiseIssue,
    };
    handler(ctx);
    if (this.issue === undefined) this.parsed++;
    else this.bad(line, this.issue);
  }

  private bad(line: string, reason: string): void {
    this.malformed++;
    if (this.examples.length >= MAX_EXAMPLES) return;
    const text = line.length > MAX_EXAMPLE_CHARS ? `${line.slice(0, MAX_EXAMPLE_CHARS)}…` : line;
    this.examples.push(`${this.source}:${this.lineNo}: ${text} (${reason})`);
  }
}

/** The same (op, path, realPath, errno, type, mode, uid, gid): a repeat, not kept. */
function sameEvent(a: WriteEvent, b: WriteEvent): boolean {
  return (
    a.op === b.op &&
    a.path === b.path &&
    (a.errno ?? '') === (b.errno ?? '') &&
    (a.type ?? '') === (b.type ?? '') &&
    (a.mode ?? '') === (b.mode ?? '') &&
    (a.uid ?? '') === (b.uid ?? '') &&
    (a.gid ?? '') === (b.gid ?? '')
  );
}
