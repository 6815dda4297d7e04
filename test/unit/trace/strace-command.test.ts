import { describe, expect, it } from 'vitest';
import { STRACE_ARGS, attachedNotice, noticeSplicer } from '../../../src/trace/strace-command.js';

function splice(lines: string[]): { lines: string[]; notices: string[] } {
  const out = { lines: [] as string[], notices: [] as string[] };
  const push = noticeSplicer((l) => out.lines.push(l), (n) => out.notices.push(n));
  for (const l of lines) push(l);
  return out;
}

describe('noticeSplicer', () => {
  it('joins a call line that a notice cut in two, and hands the notice apart', () => {
    // Captured from strace 6.1 tracing busybox sh through a container's stderr.
    const r = splice([
      'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLDstrace: Process 24 attached',
      ', child_tidptr=0x81c5690) = 24',
      '[pid    24] close(10</app/start.sh>)    = 0',
    ]);
    expect(r.lines).toEqual([
      'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x81c5690) = 24',
      '[pid    24] close(10</app/start.sh>)    = 0',
    ]);
    expect(r.notices).toEqual(['strace: Process 24 attached']);
  });

  it('passes whole notice lines and ordinary lines through', () => {
    const r = splice(['strace: Process 1 attached', 'openat(AT_FDCWD</app>, "/x", O_RDONLY) = 3</x>', 'strace: Process 1 detached']);
    expect(r.lines).toEqual(['openat(AT_FDCWD</app>, "/x", O_RDONLY) = 3</x>']);
    expect(r.notices).toEqual(['strace: Process 1 attached', 'strace: Process 1 detached']);
  });

  it('keeps a path that merely mentions strace', () => {
    const r = splice(['openat(AT_FDCWD</>, "/tmp/strace: Process 9 notes", O_RDONLY) = 3</tmp/strace: Process 9 notes>']);
    expect(r.lines).toHaveLength(1);
    expect(r.notices).toEqual([]);
  });
});

describe('strace arguments', () => {
  it('follow forks, decode descriptors, and trace only what the parser reads, tolerant of missing syscalls', () => {
    expect(STRACE_ARGS.slice(0, 2)).toEqual(['-f', '-y']);
    const trace = STRACE_ARGS[STRACE_ARGS.indexOf('-e') + 1] ?? '';
    const names = trace.replace(/^trace=/, '').split(',');
    expect(names.every((n) => n.startsWith('?'))).toBe(true);
    for (const n of ['?openat', '?execve', '?clone', '?rename', '?unlinkat', '?mmap', '?mprotect', '?chdir']) expect(names).toContain(n);
    // Reads and writes on open descriptors are the bulk of any trace and say nothing new.
    expect(names).not.toContain('?write');
    expect(names).not.toContain('?read');
  });

  it('recognises the attach notice', () => {
    expect(attachedNotice('strace: Process 1 attached')).toBe(true);
    expect(attachedNotice('strace: attach: ptrace(PTRACE_SEIZE, 1): Operation not permitted')).toBe(false);
  });
});
