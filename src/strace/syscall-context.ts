import type { EntryType, WriteEvent, WriteOp } from '../model/write-event.js';
import { resolveLexical } from './lexical-path.js';
import type { Proc, ProcessTable } from './process-table.js';
import { parseFdArg, parseStringArg, type FdArg, type SyscallResult } from './strace-args-parse.js';

/** What a syscall handler sees: the process, the parsed call, and where events and issues go. */
export interface SyscallContext {
  readonly pid: number;
  readonly proc: Proc;
  readonly table: ProcessTable;
  readonly name: string;
  readonly args: readonly string[];
  readonly result: SyscallResult;
  emit(event: WriteEvent): void;
  /** The line cannot be read as strace prints this syscall: it is counted as malformed. */
  issue(reason: string): void;
}

export type SyscallHandler = (ctx: SyscallContext) => void;

/** A path the syscall acted on: as the app named it, and absolute where the base is known. */
export interface Target {
  readonly path: string;
  readonly realPath: string;
}

/** errnos that mean a write was refused (a read-only mount, permissions, a full disk); others (ENOENT, EEXIST…) wrote nothing. */
export const WRITE_ERRNOS: ReadonlySet<string> = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT', 'ETXTBSY', 'EFBIG', 'EMLINK']);

export function succeeded(ctx: SyscallContext): boolean {
  return ctx.result.value !== undefined && ctx.result.value >= 0;
}

/** The directory a descriptor names (`3</x>` with -y, else the fd table); 'cwd' for AT_FDCWD. */
export function fdPath(ctx: SyscallContext, token: string | undefined): string | undefined {
  return token === undefined ? undefined : fdArgPath(ctx, parseFdArg(token));
}

function fdArgPath(ctx: SyscallContext, { fd, decorated, decoded }: FdArg): string | undefined {
  if (fd === 'cwd') {
    if (decoded !== undefined) ctx.proc.cwd.value = decoded; // strace ≥ 6 prints AT_FDCWD</app> with -y
    return ctx.proc.cwd.value;
  }
  // With -y the decoration is the truth: the table may be stale, since -y traces skip its upkeep.
  if (decorated) return decoded;
  const known = Number.isNaN(fd) ? undefined : ctx.proc.fds.get(fd);
  return known === '' ? undefined : known;
}

/**
 * The target of `(dirfd, "path")` (dirfd undefined: relative to the cwd). An empty path with
 * AT_EMPTY_PATH, or NULL for utimensat, is the descriptor itself. Undefined when there is no
 * path to name; a path strace cut short is an issue.
 */
export function pathTarget(ctx: SyscallContext, dirfd: string | undefined, pathToken: string | undefined): Target | undefined {
  if (pathToken === undefined) return undefined;
  const arg = parseStringArg(pathToken);
  if (arg.kind === 'none') {
    if (arg.why === 'truncated') ctx.issue('a path cut short ("..."...)');
    if (arg.why === 'null' && dirfd !== undefined) return fdTarget(ctx, dirfd);
    return undefined;
  }
  if (arg.value === '') return dirfd === undefined ? undefined : fdTarget(ctx, dirfd);
  // fdPath also learns the cwd from `AT_FDCWD</dir>`, so it is read even for an absolute path.
  const base = dirfd === undefined ? ctx.proc.cwd.value : fdPath(ctx, dirfd);
  return { path: arg.value, realPath: resolveLexical(base, arg.value) };
}

/** The file a descriptor argument names, when known. */
export function fdTarget(ctx: SyscallContext, token: string | undefined): Target | undefined {
  if (token === undefined) return undefined;
  const arg = parseFdArg(token);
  if (arg.fd === 'cwd') return undefined;
  const path = fdArgPath(ctx, arg);
  return path === undefined ? undefined : { path, realPath: resolveLexical(undefined, path) };
}

export interface EventExtra {
  readonly type?: EntryType;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
}

/** `op` when the call succeeded, `failed-write` with its errno when a write was refused, else nothing. */
export function emitWrite(ctx: SyscallContext, target: Target | undefined, op: WriteOp, extra: EventExtra = {}): void {
  if (target === undefined) return;
  if (succeeded(ctx)) ctx.emit(event(target, op, extra, undefined));
  else if (ctx.result.errno !== undefined && WRITE_ERRNOS.has(ctx.result.errno)) ctx.emit(event(target, 'failed-write', extra, ctx.result.errno));
}

export function event(target: Target, op: WriteOp, extra: EventExtra, errno: string | undefined): WriteEvent {
  const e: { -readonly [K in keyof WriteEvent]: WriteEvent[K] } = { path: target.path, realPath: target.realPath, op, source: 'strace' };
  if (extra.type !== undefined) e.type = extra.type;
  if (extra.mode !== undefined) e.mode = extra.mode;
  if (extra.uid !== undefined) e.uid = extra.uid;
  if (extra.gid !== undefined) e.gid = extra.gid;
  if (errno !== undefined) e.errno = errno;
  return e;
}

/** `0644`, `S_IFREG|0644`, `0x1a4`, `420`: the permission bits, or undefined. */
export function parseMode(token: string | undefined): number | undefined {
  if (token === undefined) return undefined;
  const digits = /(?:^|\|)(0[0-7]*|0x[0-9a-f]+|[1-9][0-9]*)$/.exec(token)?.[1];
  if (digits === undefined) return undefined;
  if (digits.startsWith('0x')) return parseInt(digits.slice(2), 16);
  return digits.startsWith('0') ? parseInt(digits, 8) : parseInt(digits, 10);
}

/** A uid/gid argument; -1 ("unchanged") gives undefined. */
export function parseId(token: string | undefined): number | undefined {
  if (token === undefined) return undefined;
  const n = Number(token);
  return Number.isInteger(n) && n >= 0 && n !== 0xffffffff ? n : undefined;
}
