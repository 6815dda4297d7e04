import { describe, expect, it } from 'vitest';
import type { WriteEvent } from '../../../src/model/write-event.js';
import { StraceParser } from '../../../src/strace/strace-parser.js';

function parse(lines: readonly string[], pid?: number): ReturnType<StraceParser['end']> {
  const parser = new StraceParser({ source: 'trace.log' });
  for (const line of lines) parser.push(line, pid);
  return parser.end();
}
const eventsOf = (...lines: string[]): WriteEvent[] => parse(lines).events;
const ev = (op: WriteEvent['op'], path: string, realPath: string, extra: Partial<WriteEvent> = {}): WriteEvent => ({ path, realPath, op, source: 'strace', ...extra });

describe('StraceParser: one line each (real strace 6.1 output)', () => {
  it.each<[string, string, WriteEvent[]]>([
    ['a write open with -y', '9657  20:26:00.688058 openat(AT_FDCWD</tmp>, "rp-test/a/f", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</tmp/rp-test/a/f>', [ev('open-write', 'rp-test/a/f', '/tmp/rp-test/a/f', { type: 'file' })]],
    ['a read-only open', '9658  20:26:00.664654 openat(AT_FDCWD</tmp>, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3</etc/ld.so.cache>', []],
    ['an O_PATH open', 'openat(AT_FDCWD, "/var/x", O_RDWR|O_PATH) = 3', []],
    ['a failed write open (EROFS)', '5044  20:25:29.201000 openat(AT_FDCWD, "/var/log/nginx/error.log", O_WRONLY|O_CREAT|O_APPEND, 0644) = -1 EROFS (Read-only file system)', [ev('failed-write', '/var/log/nginx/error.log', '/var/log/nginx/error.log', { type: 'file', errno: 'EROFS' })]],
    ['a failed write open (EACCES)', 'open("/etc/passwd", O_RDWR) = -1 EACCES (Permission denied)', [ev('failed-write', '/etc/passwd', '/etc/passwd', { type: 'file', errno: 'EACCES' })]],
    ['an O_CREAT|O_EXCL open of an existing file (EEXIST)', 'openat(AT_FDCWD, "/run/x.pid", O_WRONLY|O_CREAT|O_EXCL, 0644) = -1 EEXIST (File exists)', []],
    ['a write open of a missing directory (ENOENT)', 'openat(AT_FDCWD, "/nope/x", O_WRONLY|O_CREAT, 0644) = -1 ENOENT (No such file or directory)', []],
    ['creat', 'creat("/data/new", 0600) = 4', [ev('open-write', '/data/new', '/data/new', { type: 'file' })]],
    ['openat2', 'openat2(AT_FDCWD, "/data/db", {flags=O_RDWR|O_CREAT|O_CLOEXEC, mode=0644, resolve=RESOLVE_NO_SYMLINKS}, 24) = 3', [ev('open-write', '/data/db', '/data/db', { type: 'file' })]],
    ['raw flags (-X raw)', 'openat(-100, "/data/raw", 0x241, 0666) = 3', [ev('open-write', '/data/raw', '/data/raw', { type: 'file' })]],
    ['O_TMPFILE names its directory', 'openat(AT_FDCWD, "/tmp", O_RDWR|O_EXCL|O_TMPFILE, 0600) = 3</tmp/#1234 (deleted)>', [ev('open-write', '/tmp', '/tmp', { type: 'dir' })]],
    ['mkdir', '9658  20:26:00.685657 mkdir("/var/cache/nginx/client_temp", 0700) = 0', [ev('add', '/var/cache/nginx/client_temp', '/var/cache/nginx/client_temp', { type: 'dir' })]],
    ['mkdir of an existing dir (EEXIST)', 'mkdir("/var/lib/nginx/body", 0700) = -1 EEXIST (File exists)', []],
    ['mkdirat with a -y dirfd', 'mkdirat(5</srv/app>, "cache", 0755) = 0', [ev('add', 'cache', '/srv/app/cache', { type: 'dir' })]],
    ['mknod of a fifo', 'mknodat(AT_FDCWD, "/run/ctl", S_IFIFO|0600) = 0', [ev('add', '/run/ctl', '/run/ctl', { type: 'other' })]],
    ['renameat2 RENAME_NOREPLACE', '9659  20:26:00.717491 renameat2(AT_FDCWD</tmp>, "rp-test/a/f", AT_FDCWD</tmp>, "rp-test/a/g", RENAME_NOREPLACE) = 0', [ev('delete', 'rp-test/a/f', '/tmp/rp-test/a/f'), ev('add', 'rp-test/a/g', '/tmp/rp-test/a/g')]],
    ['rename RENAME_EXCHANGE', 'renameat2(AT_FDCWD, "/a", AT_FDCWD, "/b", RENAME_EXCHANGE) = 0', [ev('modify', '/a', '/a'), ev('modify', '/b', '/b')]],
    ['a rename refused (EROFS)', 'rename("/data/t", "/data/d") = -1 EROFS (Read-only file system)', [ev('failed-write', '/data/t', '/data/t', { errno: 'EROFS' }), ev('failed-write', '/data/d', '/data/d', { errno: 'EROFS' })]],
    ['link', 'linkat(AT_FDCWD, "/a", AT_FDCWD, "/b", 0) = 0', [ev('add', '/b', '/b')]],
    ['symlinkat', '9660  20:26:00.732914 symlinkat("g", AT_FDCWD</tmp>, "rp-test/a/l") = 0', [ev('add', 'rp-test/a/l', '/tmp/rp-test/a/l', { type: 'symlink' })]],
    ['unlinkat of a file', '9661  20:26:00.754160 unlinkat(5</tmp/rp-test/a>, "l", 0) = 0', [ev('delete', 'l', '/tmp/rp-test/a/l')]],
    ['unlinkat AT_REMOVEDIR', '9661  20:26:00.754579 unlinkat(4</tmp/rp-test>, "a", AT_REMOVEDIR) = 0', [ev('delete', 'a', '/tmp/rp-test/a', { type: 'dir' })]],
    ['rmdir', 'rmdir("/tmp/x/") = 0', [ev('delete', '/tmp/x/', '/tmp/x', { type: 'dir' })]],
    ['truncate', 'truncate("/data/f", 0) = 0', [ev('modify', '/data/f', '/data/f', { type: 'file' })]],
    ['ftruncate of a -y fd', 'ftruncate(7</var/lib/postgresql/data/pg_wal/x>, 16777216) = 0', [ev('modify', '/var/lib/postgresql/data/pg_wal/x', '/var/lib/postgresql/data/pg_wal/x', { type: 'file' })]],
    ['ftruncate of a socket', 'ftruncate(7<socket:[1]>, 0) = -1 EINVAL (Invalid argument)', []],
    ['chmod', 'chmod("/tmp/rp-x", 0600) = 0', [ev('modify', '/tmp/rp-x', '/tmp/rp-x', { mode: 0o600 })]],
    ['fchmodat', 'fchmodat(AT_FDCWD</>, "/tmp/rp-x", 0600) = 0', [ev('modify', '/tmp/rp-x', '/tmp/rp-x', { mode: 0o600 })]],
    ['fchownat keeps the uid, drops gid -1', 'fchownat(AT_FDCWD, "/var/lib/nginx/uwsgi", 33, -1, 0) = 0', [ev('modify', '/var/lib/nginx/uwsgi', '/var/lib/nginx/uwsgi', { uid: 33 })]],
    ['chown refused (EPERM)', 'chown("/etc/x", 1000, 1000) = -1 EPERM (Operation not permitted)', [ev('failed-write', '/etc/x', '/etc/x', { uid: 1000, gid: 1000, errno: 'EPERM' })]],
    ['utimensat of a -y fd (futimens)', '9663  20:26:00.760037 utimensat(0</tmp/rp-x>, NULL, NULL, 0) = 0', [ev('modify', '/tmp/rp-x', '/tmp/rp-x')]],
    ['bind of a unix socket', '1795638364.899044 bind(3<socket:[1288098]>, {sa_family=AF_UNIX, sun_path="/tmp/rp.sock"}, 15) = 0', [ev('add', '/tmp/rp.sock', '/tmp/rp.sock', { type: 'other' })]],
    ['bind of an abstract socket', '1795638364.899206 bind(4<socket:[1288099]>, {sa_family=AF_UNIX, sun_path=@"abs"}, 6) = 0', []],
    ['bind of a TCP socket', 'bind(6<TCP:[1290980]>, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("0.0.0.0")}, 16) = 0', []],
    ['execve', '9657  20:26:00.653119 execve("/usr/bin/sh", ["sh", "-c", "cd /tmp && mkdir -p rp-test/a &&"...], 0x7ffe70101158 /* 35 vars */) = 0', [ev('exec', '/usr/bin/sh', '/usr/bin/sh', { type: 'file' })]],
    ['an execve PATH lookup miss', '5043  20:25:29.165944 execve("/usr/local/sbin/nginx", ["nginx", "-g", "daemon off;"], 0x5613b2cc9988 /* 4 vars */) = -1 ENOENT (No such file or directory)', []],
    ['an execve refused (noexec: EACCES)', 'execve("/tmp/run.sh", ["/tmp/run.sh"], 0x1 /* 3 vars */) = -1 EACCES (Permission denied)', [ev('exec', '/tmp/run.sh', '/tmp/run.sh', { type: 'file', errno: 'EACCES' })]],
    ['mmap PROT_EXEC of a file', '9657  20:26:00.655718 mmap(0x7ff08ef4f000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3</tmp/libnetty.so>, 0x26000) = 0x7ff08ef4f000', [ev('exec', '/tmp/libnetty.so', '/tmp/libnetty.so', { type: 'file' })]],
    ['mmap PROT_EXEC anonymous (a JIT)', 'mmap(NULL, 4096, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000', []],
    // A write check (`[ -w DIR ]`, os.access) answered "read-only": a refused change to the path itself.
    ['faccessat2 W_OK refused (EROFS)', 'faccessat2(AT_FDCWD, "/srv/uploads", W_OK, AT_EACCESS) = -1 EROFS (Read-only file system)', [ev('modify', '/srv/uploads', '/srv/uploads', { errno: 'EROFS' })]],
    ['faccessat R_OK|W_OK refused, relative to a -y dirfd', 'faccessat(3</srv>, "uploads", R_OK|W_OK) = -1 EROFS (Read-only file system)', [ev('modify', 'uploads', '/srv/uploads', { errno: 'EROFS' })]],
    ['access with a raw mode (-X raw)', 'access("/data", 2) = -1 EROFS (Read-only file system)', [ev('modify', '/data', '/data', { errno: 'EROFS' })]],
    ['access W_OK granted', 'access("/data", W_OK) = 0', []],
    ['access R_OK on a read-only root (a read asks nothing of the mounts)', 'access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory)', []],
    ['access W_OK denied by permissions (the same on a writable root)', 'access("/etc", W_OK) = -1 EACCES (Permission denied)', []],
    ['a read, skipped unparsed', '5043  20:25:29.105770 read(0<pipe:[1273419]>, "g", 1) = 1', []],
    ['a write to a -y fd (not a new write: the open was)', 'write(1</tmp/rp-test/a/f>, "hi\\n", 3) = 3', []],
  ])('%s', (_name, line, expected) => {
    const { events, stats } = parse([line]);
    expect(events).toEqual(expected);
    expect(stats).toEqual({ lines: 1, parsed: 1, malformed: 0, examples: [] });
  });
});

describe('StraceParser: joining and state', () => {
  it('joins unfinished and resumed halves across interleaved pids', () => {
    const events = eventsOf(
      '100  openat(AT_FDCWD, "/data/a", O_WRONLY|O_CREAT <unfinished ...>',
      '101  openat(AT_FDCWD, "/data/b", O_RDONLY <unfinished ...>',
      '102  read(3,  <unfinished ...>',
      '101  <... openat resumed>) = 4',
      '[pid   102] <... read resumed>"x", 1) = 1',
      '100  <... openat resumed>, 0644) = 3',
    );
    expect(events).toEqual([ev('open-write', '/data/a', '/data/a', { type: 'file' })]);
  });

  it('gives a failed resumed write its errno', () => {
    const events = eventsOf('7 mkdir("/var/cache/x", 0700 <unfinished ...>', '8 getpid() = 8', '7 <... mkdir resumed>) = -1 EROFS (Read-only file system)');
    expect(events).toEqual([ev('failed-write', '/var/cache/x', '/var/cache/x', { type: 'dir', errno: 'EROFS' })]);
  });

  it('resolves relative paths against the cwd from chdir, fchdir and getcwd', () => {
    expect(eventsOf('chdir("/srv/app") = 0', 'mkdir("cache", 0755) = 0', 'chdir("../data") = 0', 'unlink("old") = 0')).toEqual([
      ev('add', 'cache', '/srv/app/cache', { type: 'dir' }),
      ev('delete', 'old', '/srv/data/old'),
    ]);
    expect(eventsOf('openat(AT_FDCWD, "/var/lib/redis", O_RDONLY|O_DIRECTORY) = 5', 'fchdir(5) = 0', 'openat(AT_FDCWD, "temp-1.rdb", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 6')).toEqual([
      ev('open-write', 'temp-1.rdb', '/var/lib/redis/temp-1.rdb', { type: 'file' }),
    ]);
    expect(eventsOf('getcwd("/data", 4096) = 6', 'rename("temp-9.rdb", "dump.rdb") = 0')).toEqual([ev('delete', 'temp-9.rdb', '/data/temp-9.rdb'), ev('add', 'dump.rdb', '/data/dump.rdb')]);
  });

  it('learns the cwd from AT_FDCWD</dir> (strace 6 with -y)', () => {
    expect(eventsOf('openat(AT_FDCWD</var/lib/redis>, "/etc/x", O_RDONLY) = 3</etc/x>', 'unlink("temp.rdb") = 0')).toEqual([ev('delete', 'temp.rdb', '/var/lib/redis/temp.rdb')]);
  });

  it('keeps a relative realPath when the cwd is unknown', () => {
    expect(eventsOf('mkdir("rp-test", 0777) = 0')).toEqual([ev('add', 'rp-test', 'rp-test', { type: 'dir' })]);
  });

  it('resolves *at() paths against dirfds from the fd table, dup and fcntl', () => {
    expect(
      eventsOf(
        'openat(AT_FDCWD, "/srv/www", O_RDONLY|O_DIRECTORY) = 3',
        'dup(3) = 4',
        'fcntl(4, F_DUPFD_CLOEXEC, 10) = 10',
        'close(3) = 0',
        'mkdirat(10, "uploads", 0755) = 0',
        'unlinkat(3, "gone", 0) = 0',
      ),
      // fd 3 was closed: its directory is unknown, and the path stays relative.
    ).toEqual([ev('add', 'uploads', '/srv/www/uploads', { type: 'dir' }), ev('delete', 'gone', 'gone')]);
  });

  it('gives a forked child a copy of the cwd and fds, a CLONE_FS|CLONE_FILES thread the same ones', () => {
    const events = eventsOf(
      '10 chdir("/app") = 0',
      '10 openat(AT_FDCWD, "/app/data", O_RDONLY|O_DIRECTORY) = 3',
      '10 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 11',
      '10 clone(child_stack=0x7f, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, parent_tid=[12]) = 12',
      '11 chdir("/tmp") = 0',
      '11 mkdir("forked", 0700) = 0',
      '10 mkdir("parent", 0700) = 0',
      '12 chdir("/var") = 0',
      '10 mkdir("shared", 0700) = 0',
      '11 mkdirat(3, "child-fd", 0700) = 0',
    );
    expect(events.map((e) => e.realPath)).toEqual(['/tmp/forked', '/app/parent', '/var/shared', '/app/data/child-fd']);
  });

  it('adopts a child that prints before its parent’s clone returns (vfork)', () => {
    const events = eventsOf(
      '9657  20:26:00.661179 chdir("/tmp")     = 0',
      '9657  20:26:00.662958 vfork( <unfinished ...>',
      '9658  20:26:00.663351 execve("/usr/bin/mkdir", ["mkdir", "-p", "rp-test/a"], 0x5598e0077300 /* 35 vars */ <unfinished ...>',
      '9657  20:26:00.663474 <... vfork resumed>) = 9658',
      '9658  20:26:00.663598 <... execve resumed>) = 0',
      '9658  20:26:00.685657 mkdir("rp-test", 0777) = 0',
    );
    expect(events).toEqual([ev('exec', '/usr/bin/mkdir', '/usr/bin/mkdir', { type: 'file' }), ev('add', 'rp-test', '/tmp/rp-test', { type: 'dir' })]);
  });

  it('treats the un-prefixed first process of a stderr trace as the pid that resumes its call', () => {
    const events = eventsOf('chdir("/w") = 0', 'clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>', '[pid  501] mkdir("c", 0700) = 0', '[pid  500] <... clone resumed>) = 501', '[pid  500] mkdir("p", 0700) = 0');
    expect(events.map((e) => e.realPath)).toEqual(['/w/c', '/w/p']);
  });

  it('makes an mprotect(PROT_EXEC) of a mapped file an exec', () => {
    const events = eventsOf('mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3</tmp/native.so>, 0) = 0x7f0000000000', 'mprotect(0x7f0000001000, 4096, PROT_READ|PROT_EXEC) = 0');
    expect(events).toEqual([ev('exec', '/tmp/native.so', '/tmp/native.so', { type: 'file' })]);
  });

  it('does not take a stale table entry over a -y decoration', () => {
    expect(eventsOf('openat(AT_FDCWD, "/data/a", O_RDONLY) = 3', 'close(3<socket:[1]>) = 0', 'ftruncate(3<socket:[9]>, 0) = 0')).toEqual([]);
  });

  it('deduplicates events', () => {
    const line = 'openat(AT_FDCWD, "/var/log/app.log", O_WRONLY|O_APPEND) = 3';
    expect(eventsOf(line, line, line)).toHaveLength(1);
  });

  it('decodes escaped paths', () => {
    expect(eventsOf('1795638364.899226 openat(AT_FDCWD</>, "/tmp/\\303\\251\\n\\"q", O_WRONLY|O_CREAT|O_CLOEXEC, 0777) = 5</tmp/\\303\\251\\n\\"q>')).toEqual([
      ev('open-write', '/tmp/é\n"q', '/tmp/é\n"q', { type: 'file' }),
    ]);
  });

  it('uses the pid given for -ff lines', () => {
    const parser = new StraceParser();
    parser.push('clone(child_stack=NULL, flags=SIGCHLD) = 31', 30);
    parser.push('chdir("/x") = 0', 30);
    parser.push('mkdir("y", 0700) = 0', 30);
    parser.push('mkdir("z", 0700) = 0', 31);
    expect(parser.end().events.map((e) => e.realPath)).toEqual(['/x/y', 'z']);
  });
});

describe('StraceParser: malformed lines', () => {
  it('counts them, keeps five examples with file:line, and parses the rest', () => {
    const lines = ['9657  20:26:00.661179 chdir("/tmp") = 0', 'garbage 1', 'mkdir("a", 0777', '', 'unlink("/x"...) = 0', 'garbage 2', 'garbage 3', 'garbage 4', 'mkdir("/ok", 0777) = 0'];
    const { events, stats } = parse(lines);
    expect(stats).toEqual({
      lines: 9,
      parsed: 2,
      malformed: 6,
      examples: [
        'trace.log:2: garbage 1 (no "(" after the syscall name)',
        'trace.log:3: mkdir("a", 0777 (no " = " result)',
        'trace.log:5: unlink("/x"...) = 0 (a path cut short ("..."...))',
        'trace.log:6: garbage 2 (no "(" after the syscall name)',
        'trace.log:7: garbage 3 (no "(" after the syscall name)',
      ],
    });
    expect(events).toEqual([ev('add', '/ok', '/ok', { type: 'dir' })]);
  });
});

describe('live traces on stderr (no -o)', () => {
  it('gives a line without a pid to the one process left, once the others exited', () => {
    // strace 6.1 through a container's stderr: the prefix goes when the last child is gone, mid-call.
    const r = parse([
      'wait4(-1,  <unfinished ...>',
      'strace: Process 28 attached',
      '[pid    28] openat(AT_FDCWD</www>, "/etc/localtime", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)',
      '[pid     1] --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=0, si_uid=0} ---',
      '[pid     1] openat(AT_FDCWD</app>, "/var/spool/app/last-stop", O_WRONLY|O_CREAT|O_TRUNC, 0666 <unfinished ...>',
      '[pid    28] +++ killed by SIGTERM +++',
      '<... openat resumed>)                   = 3</var/spool/app/last-stop>',
      'close(3</var/spool/app/last-stop>) = 0',
      '+++ exited with 0 +++',
    ]);
    expect(r.events).toEqual([ev('open-write', '/var/spool/app/last-stop', '/var/spool/app/last-stop', { type: 'file' })]);
    expect(r.stats.malformed).toBe(0);
  });

  it('resolves relative paths against the working directory it was given', () => {
    const p = new StraceParser({ initialCwd: '/srv/app' });
    p.push('openat(AT_FDCWD, "data/out.txt", O_WRONLY|O_CREAT, 0644) = 3');
    expect(p.end().events).toEqual([ev('open-write', 'data/out.txt', '/srv/app/data/out.txt', { type: 'file' })]);
  });
});
