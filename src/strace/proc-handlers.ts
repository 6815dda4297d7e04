import { resolveLexical } from './lexical-path.js';
import { addMapping, cloneShare, mappingAt } from './process-table.js';
import { parseFdArg, parseStringArg } from './strace-args-parse.js';
import { ForwardSearch, type SkipTest } from './skip-scan.js';
import { event, fdPath, fdTarget, pathTarget, succeeded, type SyscallContext, type SyscallHandler, type Target } from './syscall-context.js';

/** An exec refused with these errnos may be a `noexec` mount: it is reported as an exec with its errno. */
const EXEC_REFUSED: ReadonlySet<string> = new Set(['EACCES', 'EPERM']);

function exec(ctx: SyscallContext, target: Target | undefined): void {
  if (succeeded(ctx)) {
    if (target !== undefined) ctx.emit(event(target, 'exec', { type: 'file' }, undefined));
    ctx.table.exec(ctx.pid);
  } else if (target !== undefined && ctx.result.errno !== undefined && EXEC_REFUSED.has(ctx.result.errno)) {
    ctx.emit(event(target, 'exec', { type: 'file' }, ctx.result.errno));
  }
}

/** mmap(addr, length, prot, flags, fd, offset): a file mapped executable is an exec of that file. */
function mmap(ctx: SyscallContext): void {
  const fdToken = ctx.args[4];
  if (!succeeded(ctx) || fdToken === undefined || fdToken.charCodeAt(0) === 45 /* -1 */) return;
  const target = fdTarget(ctx, fdToken);
  const start = ctx.result.value;
  const length = Number(ctx.args[1]);
  if (target === undefined || start === undefined) return;
  if (Number.isFinite(length)) addMapping(ctx.proc, { start, end: start + length, path: target.path });
  if (ctx.args[2]?.includes('PROT_EXEC')) ctx.emit(event(target, 'exec', { type: 'file' }, undefined));
}

/** mprotect(addr, length, prot): making a mapped file executable. */
function mprotect(ctx: SyscallContext): void {
  if (!succeeded(ctx) || !ctx.args[2]?.includes('PROT_EXEC')) return;
  const mapping = mappingAt(ctx.proc, Number(ctx.args[0]));
  if (mapping !== undefined) ctx.emit(event({ path: mapping.path, realPath: resolveLexical(undefined, mapping.path) }, 'exec', { type: 'file' }, undefined));
}

function chdir(ctx: SyscallContext): void {
  if (!succeeded(ctx)) return;
  const target = pathTarget(ctx, undefined, ctx.args[0]);
  ctx.proc.cwd.value = target?.realPath.startsWith('/') ? target.realPath : undefined;
}

function fchdir(ctx: SyscallContext): void {
  if (succeeded(ctx)) ctx.proc.cwd.value = fdPath(ctx, ctx.args[0]);
}

function getcwd(ctx: SyscallContext): void {
  const arg = ctx.args[0] === undefined ? undefined : parseStringArg(ctx.args[0]);
  if (succeeded(ctx) && arg?.kind === 'string' && arg.value.startsWith('/')) ctx.proc.cwd.value = arg.value;
}

/** dup(old) = new, dup2/dup3(old, new) = new, fcntl(old, F_DUPFD, min) = new. */
function dup(ctx: SyscallContext): void {
  const made = ctx.result.value;
  if (!succeeded(ctx) || made === undefined) return;
  ctx.proc.fds.set(made, ctx.result.decoded ?? fdPath(ctx, ctx.args[0]) ?? '');
}

function fcntl(ctx: SyscallContext): void {
  if (ctx.args[1]?.startsWith('F_DUPFD')) dup(ctx);
}

/** Closing frees the descriptor even when close() reports an error (Linux). */
function close(ctx: SyscallContext): void {
  const { fd } = parseFdArg(ctx.args[0] ?? '');
  if (typeof fd === 'number') ctx.proc.fds.delete(fd);
}

/** clone/clone3/fork/vfork returned: the child inherits the cwd and descriptors, shared or copied per the flags. */
function clone(ctx: SyscallContext): void {
  const child = succeeded(ctx) ? ctx.result.value : undefined;
  ctx.table.cloneReturned(ctx.pid, cloneShare(ctx.name, ctx.args.join(', ')), child);
}

/** Handlers of the syscalls that change what later paths mean (cwd, descriptors, processes) or execute files. */
export const PROC_HANDLERS: ReadonlyMap<string, SyscallHandler> = new Map<string, SyscallHandler>([
  ['execve', (c) => exec(c, pathTarget(c, undefined, c.args[0]))],
  ['execveat', (c) => exec(c, pathTarget(c, c.args[0], c.args[1]))],
  ['mmap', mmap],
  ['mmap2', mmap],
  ['mprotect', mprotect],
  ['pkey_mprotect', mprotect],
  ['chdir', chdir],
  ['fchdir', fchdir],
  ['getcwd', getcwd],
  ['dup', dup],
  ['dup2', dup],
  ['dup3', dup],
  ['fcntl', fcntl],
  ['fcntl64', fcntl],
  ['close', close],
  ['clone', clone],
  ['clone2', clone],
  ['clone3', clone],
  ['fork', clone],
  ['vfork', clone],
]);

/** Syscalls whose unfinished half already matters: the child of a clone may print before its parent's clone returns. */
export const CLONE_NAMES: ReadonlySet<string> = new Set(['clone', 'clone2', 'clone3', 'fork', 'vfork']);

/** Whether `name(` is followed by a `-y` decorated descriptor (`close(3</x>)`). */
function decoratedFirstArg(text: string, open: number, end: number): boolean {
  let i = open + 1;
  while (i < end && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  return i > open + 1 && i < end && text.charCodeAt(i) === 60; /* < */
}

/**
 * Lines that can be skipped unparsed, by a look at the raw line `text.slice(open, end)` (from
 * the "(", within a whole chunk: no test looks past `end`): descriptor upkeep in a `-y` trace
 * (every later use of a descriptor carries its path), anonymous mmaps, mprotect without
 * PROT_EXEC. Most lines of a busy trace are these.
 */
const ANONYMOUS = new ForwardSearch(', -1, ');
const PROT_EXEC = new ForwardSearch('PROT_EXEC');
const anonymous: SkipTest = (text, open, end) => ANONYMOUS.within(text, open, end);
const notExec: SkipTest = (text, open, end) => !PROT_EXEC.within(text, open, end);

export const SKIP_UNPARSED: ReadonlyMap<string, SkipTest> = new Map<string, SkipTest>([
  ['close', decoratedFirstArg],
  ['dup', decoratedFirstArg],
  ['dup2', decoratedFirstArg],
  ['dup3', decoratedFirstArg],
  ['fcntl', decoratedFirstArg],
  ['fcntl64', decoratedFirstArg],
  ['mmap', anonymous],
  ['mmap2', anonymous],
  ['mprotect', notExec],
  ['pkey_mprotect', notExec],
]);
