import type { EntryType } from '../model/write-event.js';
import { emitWrite, event, fdTarget, parseId, parseMode, pathTarget, succeeded, type SyscallContext, type SyscallHandler, type Target } from './syscall-context.js';

/** Generic Linux open(2) flag bits (x86, arm, arm64, riscv), for `-X raw` output. */
const O_WRITE_BITS = 0o1 | 0o2 | 0o100 | 0o1000 | 0o2000;
const O_PATH = 0o10000000;
const O_TMPFILE = 0o20000000;
const WRITE_FLAGS = /\bO_(?:WRONLY|RDWR|CREAT|TRUNC|APPEND|TMPFILE)\b/;

/** Whether open flags (`O_WRONLY|O_CREAT`, `0x241`, `0x241 /* O_WRONLY|… *\/`) ask to write; O_TMPFILE names a directory. */
export function openIntent(flags: string | undefined): { readonly write: boolean; readonly tmpfile: boolean } {
  if (flags === undefined) return { write: false, tmpfile: false };
  const c = flags.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const head = flags.split(' ', 1)[0] ?? '';
    const n = head.startsWith('0x') ? parseInt(head.slice(2), 16) : head.startsWith('0') ? parseInt(head, 8) : parseInt(head, 10);
    if (Number.isNaN(n) || (n & O_PATH) !== 0) return { write: false, tmpfile: false };
    return { write: (n & (O_WRITE_BITS | O_TMPFILE)) !== 0, tmpfile: (n & O_TMPFILE) === O_TMPFILE };
  }
  if (flags.includes('O_PATH')) return { write: false, tmpfile: false };
  return { write: WRITE_FLAGS.test(flags), tmpfile: flags.includes('O_TMPFILE') };
}

function openFile(ctx: SyscallContext, dirfd: string | undefined, pathToken: string | undefined, flags: string | undefined): void {
  const target = pathTarget(ctx, dirfd, pathToken);
  if (succeeded(ctx) && ctx.result.value !== undefined) {
    const known = ctx.result.decoded ?? target?.realPath;
    // A relative path with an unknown cwd is no base for later *at() calls.
    if (known?.startsWith('/')) ctx.proc.fds.set(ctx.result.value, known);
    else ctx.proc.fds.delete(ctx.result.value);
  }
  const intent = openIntent(flags);
  if (intent.write) emitWrite(ctx, target, 'open-write', { type: intent.tmpfile ? 'dir' : 'file' });
}

/** openat2's `{flags=O_RDWR|O_CREAT, mode=0644, resolve=…}`. */
function howFlags(how: string | undefined): string | undefined {
  return how === undefined ? undefined : /flags=([^,}]+)/.exec(how)?.[1];
}

function nodeType(mode: string | undefined): EntryType {
  if (mode === undefined || !mode.includes('S_IF') || mode.includes('S_IFREG')) return 'file';
  return mode.includes('S_IFDIR') ? 'dir' : 'other';
}

function rename(ctx: SyscallContext, from: Target | undefined, to: Target | undefined, flags: string | undefined): void {
  if (flags?.includes('RENAME_EXCHANGE')) {
    emitWrite(ctx, from, 'modify');
    emitWrite(ctx, to, 'modify');
    return;
  }
  emitWrite(ctx, from, 'delete');
  emitWrite(ctx, to, 'add');
}

/** `{sa_family=AF_UNIX, sun_path="/run/x.sock"}`; an abstract socket (`sun_path=@"…"`) is no file. */
function bindUnix(ctx: SyscallContext): void {
  const addr = ctx.args[1];
  if (addr === undefined || !addr.includes('AF_UNIX')) return;
  const quoted = /sun_path=("(?:[^"\\]|\\.)*"(?:\.\.\.)?)/.exec(addr)?.[1];
  if (quoted !== undefined) emitWrite(ctx, pathTarget(ctx, undefined, quoted), 'add', { type: 'other' });
}

/** `W_OK`, `R_OK|W_OK`, `2`, `06`: whether an access(2) mode asks about writing. */
export function asksWrite(mode: string | undefined): boolean {
  if (mode === undefined) return false;
  if (/\bW_OK\b/.test(mode)) return true;
  const n = mode.startsWith('0x') ? parseInt(mode.slice(2), 16) : mode.startsWith('0') && mode.length > 1 ? parseInt(mode, 8) : parseInt(mode, 10);
  return !Number.isNaN(n) && (n & 2) !== 0;
}

/**
 * access(W_OK) answered "read-only filesystem": the app asked whether it may write here (a data
 * or upload directory it checks at start) and will not try. Seen as a refused change to the path
 * itself (for a directory: a write inside it, as the analysis reads a modified directory). Only
 * EROFS: an EACCES answer is the same with a writable root, so it says nothing about the mounts.
 */
function accessCheck(ctx: SyscallContext, target: Target | undefined, mode: string | undefined): void {
  if (target === undefined || ctx.result.errno !== 'EROFS' || !asksWrite(mode)) return;
  ctx.emit(event(target, 'modify', {}, 'EROFS'));
}

const FILE = { type: 'file' } as const;
const DIR = { type: 'dir' } as const;

function chown(ctx: SyscallContext, target: Target | undefined, uid: string | undefined, gid: string | undefined): void {
  const u = parseId(uid);
  const g = parseId(gid);
  emitWrite(ctx, target, 'modify', { ...(u === undefined ? {} : { uid: u }), ...(g === undefined ? {} : { gid: g }) });
}

function chmod(ctx: SyscallContext, target: Target | undefined, mode: string | undefined): void {
  const m = parseMode(mode);
  emitWrite(ctx, target, 'modify', m === undefined ? {} : { mode: m });
}

/** Handlers of the syscalls that write to the filesystem, by name. */
export const FS_HANDLERS: ReadonlyMap<string, SyscallHandler> = new Map<string, SyscallHandler>([
  ['open', (c) => openFile(c, undefined, c.args[0], c.args[1])],
  ['openat', (c) => openFile(c, c.args[0], c.args[1], c.args[2])],
  ['openat2', (c) => openFile(c, c.args[0], c.args[1], howFlags(c.args[2]))],
  ['creat', (c) => openFile(c, undefined, c.args[0], 'O_WRONLY|O_CREAT|O_TRUNC')],
  ['mkdir', (c) => emitWrite(c, pathTarget(c, undefined, c.args[0]), 'add', DIR)],
  ['mkdirat', (c) => emitWrite(c, pathTarget(c, c.args[0], c.args[1]), 'add', DIR)],
  ['mknod', (c) => emitWrite(c, pathTarget(c, undefined, c.args[0]), 'add', { type: nodeType(c.args[1]) })],
  ['mknodat', (c) => emitWrite(c, pathTarget(c, c.args[0], c.args[1]), 'add', { type: nodeType(c.args[2]) })],
  ['rename', (c) => rename(c, pathTarget(c, undefined, c.args[0]), pathTarget(c, undefined, c.args[1]), undefined)],
  ['renameat', (c) => rename(c, pathTarget(c, c.args[0], c.args[1]), pathTarget(c, c.args[2], c.args[3]), undefined)],
  ['renameat2', (c) => rename(c, pathTarget(c, c.args[0], c.args[1]), pathTarget(c, c.args[2], c.args[3]), c.args[4])],
  ['link', (c) => emitWrite(c, pathTarget(c, undefined, c.args[1]), 'add')],
  ['linkat', (c) => emitWrite(c, pathTarget(c, c.args[2], c.args[3]), 'add')],
  ['symlink', (c) => emitWrite(c, pathTarget(c, undefined, c.args[1]), 'add', { type: 'symlink' })],
  ['symlinkat', (c) => emitWrite(c, pathTarget(c, c.args[1], c.args[2]), 'add', { type: 'symlink' })],
  ['unlink', (c) => emitWrite(c, pathTarget(c, undefined, c.args[0]), 'delete')],
  ['unlinkat', (c) => emitWrite(c, pathTarget(c, c.args[0], c.args[1]), 'delete', c.args[2]?.includes('AT_REMOVEDIR') ? DIR : {})],
  ['rmdir', (c) => emitWrite(c, pathTarget(c, undefined, c.args[0]), 'delete', DIR)],
  ['truncate', (c) => emitWrite(c, pathTarget(c, undefined, c.args[0]), 'modify', FILE)],
  ['truncate64', (c) => emitWrite(c, pathTarget(c, undefined, c.args[0]), 'modify', FILE)],
  ['ftruncate', (c) => emitWrite(c, fdTarget(c, c.args[0]), 'modify', FILE)],
  ['ftruncate64', (c) => emitWrite(c, fdTarget(c, c.args[0]), 'modify', FILE)],
  ['chmod', (c) => chmod(c, pathTarget(c, undefined, c.args[0]), c.args[1])],
  ['fchmod', (c) => chmod(c, fdTarget(c, c.args[0]), c.args[1])],
  ['fchmodat', (c) => chmod(c, pathTarget(c, c.args[0], c.args[1]), c.args[2])],
  ['fchmodat2', (c) => chmod(c, pathTarget(c, c.args[0], c.args[1]), c.args[2])],
  ['chown', (c) => chown(c, pathTarget(c, undefined, c.args[0]), c.args[1], c.args[2])],
  ['chown32', (c) => chown(c, pathTarget(c, undefined, c.args[0]), c.args[1], c.args[2])],
  ['lchown', (c) => chown(c, pathTarget(c, undefined, c.args[0]), c.args[1], c.args[2])],
  ['lchown32', (c) => chown(c, pathTarget(c, undefined, c.args[0]), c.args[1], c.args[2])],
  ['fchown', (c) => chown(c, fdTarget(c, c.args[0]), c.args[1], c.args[2])],
  ['fchown32', (c) => chown(c, fdTarget(c, c.args[0]), c.args[1], c.args[2])],
  ['fchownat', (c) => chown(c, pathTarget(c, c.args[0], c.args[1]), c.args[2], c.args[3])],
  ['utime', (c) => emitWrite(c, pathTarget(c, undefined, c.args[0]), 'modify')],
  ['utimes', (c) => emitWrite(c, pathTarget(c, undefined, c.args[0]), 'modify')],
  ['utimensat', (c) => emitWrite(c, pathTarget(c, c.args[0], c.args[1]), 'modify')],
  ['futimesat', (c) => emitWrite(c, pathTarget(c, c.args[0], c.args[1]), 'modify')],
  ['bind', bindUnix],
  ['access', (c) => accessCheck(c, pathTarget(c, undefined, c.args[0]), c.args[1])],
  ['faccessat', (c) => accessCheck(c, pathTarget(c, c.args[0], c.args[1]), c.args[2])],
  ['faccessat2', (c) => accessCheck(c, pathTarget(c, c.args[0], c.args[1]), c.args[2])],
]);
