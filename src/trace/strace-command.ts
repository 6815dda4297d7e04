import { LineSplitter } from '../strace/line-splitter.js';

/**
 * The syscalls the parser reads (src/strace: writes, executions, and what changes the meaning
 * of a later path or descriptor). Tracing only these keeps the app near full speed: reads and
 * writes on open descriptors, the bulk of any trace, are never stopped. A leading `?` lets
 * strace skip names an architecture lacks (`open` on arm64, `chown32` on x86_64).
 */
const SYSCALLS = [
  'access', 'bind', 'chdir', 'chmod', 'chown', 'chown32', 'clone', 'clone3', 'close', 'creat', 'dup', 'dup2', 'dup3',
  'execve', 'execveat', 'faccessat', 'faccessat2', 'fchdir', 'fchmod', 'fchmodat', 'fchmodat2', 'fchown', 'fchown32', 'fchownat',
  'fcntl', 'fcntl64', 'fork', 'ftruncate', 'ftruncate64', 'futimesat', 'lchown', 'lchown32', 'link',
  'linkat', 'mkdir', 'mkdirat', 'mknod', 'mknodat', 'mmap', 'mmap2', 'mprotect', 'open', 'openat',
  'openat2', 'pkey_mprotect', 'rename', 'renameat', 'renameat2', 'rmdir', 'symlink', 'symlinkat',
  'truncate', 'truncate64', 'unlink', 'unlinkat', 'utime', 'utimensat', 'utimes', 'vfork',
];

/**
 * strace options for a live capture: follow forks, decode descriptors to paths (`-y`), one
 * line per call with its result. Output goes to stderr, unbuffered: a tracer killed with the
 * container's pid namespace loses nothing it printed.
 */
export const STRACE_ARGS: readonly string[] = ['-f', '-y', '-s', '256', '-e', `trace=${SYSCALLS.map((s) => `?${s}`).join(',')}`];

/** strace's own notice that it seized a process ("strace: Process 1 attached"). */
export function attachedNotice(line: string): boolean {
  return /^strace: Process \d+ attached/.test(line);
}

const EMBEDDED_NOTICE = /strace: Process \d+ (?:attached|detached)$/;

/**
 * strace writes its notices to stderr at once while a call's line is still being printed, so
 * on a shared stream a notice can land inside a line ("clone(…SIGCHLDstrace: Process 24
 * attached" then ", child_tidptr=…) = 24"). This hands notices apart and joins the halves.
 */
export function noticeSplicer(onLine: (line: string) => void, onNotice: (notice: string) => void): (line: string) => void {
  let head = '';
  return (line) => {
    if (line.startsWith('strace: ')) {
      onNotice(line);
      return;
    }
    const m = EMBEDDED_NOTICE.exec(line);
    if (m) {
      onNotice(m[0]);
      head += line.slice(0, m.index);
      return;
    }
    onLine(head + line);
    head = '';
  };
}

/**
 * One strace process's stderr, chunk by chunk: its trace lines go to `onLine`, its notices are
 * kept (for an error message), and `attached` settles once it has seized its process.
 */
export class StraceOutput {
  readonly notices: string[] = [];
  readonly attached: Promise<void>;
  private readonly lines: LineSplitter;

  constructor(onLine: (line: string) => void) {
    let onAttached: () => void = () => undefined;
    this.attached = new Promise<void>((resolve) => (onAttached = resolve));
    this.lines = new LineSplitter(
      noticeSplicer(onLine, (notice) => {
        this.notices.push(notice);
        if (attachedNotice(notice)) onAttached();
      }),
    );
  }

  push(chunk: Buffer): void {
    this.lines.push(chunk);
  }

  end(): void {
    this.lines.end();
  }
}
