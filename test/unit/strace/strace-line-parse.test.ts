import { describe, expect, it } from 'vitest';
import { parseStraceLine } from '../../../src/strace/strace-line-parse.js';

describe('parseStraceLine', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['-f -o FILE with -tt', '9657  20:26:00.661179 chdir("/tmp")     = 0', { kind: 'syscall', pid: 9657, name: 'chdir', unfinishedAt: -1 }],
    ['stderr [pid N]', '[pid  1234] openat(AT_FDCWD, "/x", O_RDONLY) = 3', { kind: 'syscall', pid: 1234, name: 'openat' }],
    ['-ff with -ttt', '1795638364.420913 chdir("/")            = 0', { kind: 'syscall', pid: undefined, name: 'chdir' }],
    ['-t', '20:26:00 mkdir("/a", 0777) = 0', { kind: 'syscall', pid: undefined, name: 'mkdir' }],
    ['-r', '     0.000123 mkdir("/a", 0777) = 0', { kind: 'syscall', pid: undefined, name: 'mkdir' }],
    ['-f with -r', '1234       0.000123 mkdir("/a", 0777) = 0', { kind: 'syscall', pid: 1234, name: 'mkdir' }],
    ['no prefix at all', 'unlink("/tmp/x") = 0', { kind: 'syscall', pid: undefined, name: 'unlink' }],
    ['unfinished', '9657  20:26:00.662958 vfork( <unfinished ...>', { kind: 'syscall', pid: 9657, name: 'vfork', unfinishedAt: 28 }],
    ['resumed', '9657  20:26:00.663474 <... vfork resumed>) = 9658', { kind: 'resumed', pid: 9657, name: 'vfork', restAt: 41 }],
    ['signal', '9657  20:26:00.687605 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=9658} ---', { kind: 'signal', pid: 9657 }],
    ['exit', '9658  20:26:00.687503 +++ exited with 0 +++', { kind: 'exit', pid: 9658 }],
    ['killed', '[pid  77] +++ killed by SIGKILL +++', { kind: 'exit', pid: 77 }],
    ['strace notice', 'strace: Process 5043 attached', { kind: 'notice' }],
    ['blank', '', { kind: 'blank' }],
    ['unknown syscall on attach', '1234  ????( <unfinished ...>', { kind: 'syscall', name: '????' }],
    ['a log line', 'Nov 25 20:26:00 host nginx[1]: started', { kind: 'malformed' }],
    ['a call cut off', '9657  20:26:00.661179 chdir("/tm', { kind: 'malformed' }],
    ['JSON', '{"a": 1}', { kind: 'malformed' }],
  ])('reads %s', (_name, line, expected) => {
    expect(parseStraceLine(line)).toMatchObject(expected);
  });
});
