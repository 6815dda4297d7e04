import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isErrorLine, normalizeLogLine, pathsFromLogLine, type LogPath } from '../../../src/verify/log-paths.js';

/*
 * Table-driven over the real log lines in test/fixtures/log-lines/ (format in its README.md),
 * then the general rules one by one on made-up lines, then properties over generated paths.
 */

const FIXTURES = new URL('../../fixtures/log-lines/', import.meta.url);
const PAIRS_FILE = 'same-message-pairs.txt';

interface LineRecord {
  readonly line: string;
  readonly error: boolean;
  readonly paths: readonly string[];
  readonly errno?: LogPath['errno'];
  readonly program?: string;
  readonly captured?: boolean;
}

interface PairRecord {
  readonly same: boolean;
  readonly about: string;
  readonly a: string;
  readonly b: string;
}

/** The JSON records of a fixture file, each with its line number for the test name. */
function records<T>(file: string): Array<{ at: string; record: T }> {
  const text = readFileSync(new URL(file, FIXTURES), 'utf8');
  return text.split('\n').flatMap((raw, i) => {
    if (raw.trim() === '' || raw.startsWith('#')) return [];
    return [{ at: `${file}:${i + 1}`, record: JSON.parse(raw) as T }];
  });
}

function expected(r: LineRecord): LogPath[] {
  return r.paths.map((path) => {
    if (r.errno === undefined) throw new Error(`record without errno: ${r.line}`);
    return r.program === undefined ? { path, errno: r.errno } : { path, errno: r.errno, program: r.program };
  });
}

const PROGRAM_FILES = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.txt') && f !== PAIRS_FILE)
  .sort();

describe('captured log lines', () => {
  it('has the program files the README lists', () => {
    expect(PROGRAM_FILES).toEqual(
      ['apache2', 'busybox', 'coreutils', 'glibc-perror', 'go', 'java', 'nginx', 'node', 'perl', 'postgres', 'python', 'redis'].map((p) => `${p}.txt`),
    );
  });

  for (const file of PROGRAM_FILES) {
    describe(file, () => {
      const rows = records<LineRecord>(file);

      it('has a header naming the program, version, command and date', () => {
        const text = readFileSync(new URL(file, FIXTURES), 'utf8');
        expect(text.startsWith('# ')).toBe(true);
        expect(text).toMatch(/# captured 2026-\d\d-\d\d/);
        expect(text).toMatch(/^# capture 1: \S/m);
        expect(rows.length).toBeGreaterThan(0);
      });

      it.each(rows.map(({ at, record }) => [at, record] as const))('%s', (_at, r) => {
        expect(pathsFromLogLine(r.line)).toEqual(expected(r));
        expect(isErrorLine(r.line)).toBe(r.error);
      });
    });
  }

  it('includes failures of each kind and lines that report none', () => {
    const all = PROGRAM_FILES.flatMap((f) => records<LineRecord>(f).map((r) => r.record));
    for (const errno of ['EROFS', 'EACCES', 'EPERM', 'ENOENT', 'other']) expect(all.some((r) => r.errno === errno)).toBe(true);
    expect(all.filter((r) => !r.error).length).toBeGreaterThan(50);
    // every line naming a failed path is an error line
    for (const r of all) if (r.paths.length > 0) expect(r.error, r.line).toBe(true);
  });
});

describe('normalizeLogLine on the same message from two runs', () => {
  it.each(records<PairRecord>(PAIRS_FILE).map(({ record }) => [record.about, record] as const))('%s', (_about, p) => {
    expect(normalizeLogLine(p.a) === normalizeLogLine(p.b)).toBe(p.same);
  });
});

// ---------------------------------------------------------------------------------------------

describe('pathsFromLogLine', () => {
  const paths = (line: string) => pathsFromLogLine(line).map((p) => p.path);

  it.each([
    ['double quotes', 'open() "/var/x" failed (30: Read-only file system)', ['/var/x']],
    ['single quotes', "cannot touch '/var/x': Permission denied", ['/var/x']],
    ['backticks', 'cannot write `/var/x`: Read-only file system', ['/var/x']],
    ['old GNU `...\'', "cannot create `/var/x': Read-only file system", ['/var/x']],
    ['curly quotes', 'mkdir: cannot create directory ‘/var/my dir’: Read-only file system', ['/var/my dir']],
    ['double curly quotes', 'could not open “/var/a b” for writing: Permission denied', ['/var/a b']],
    ['bare, error after', 'open /var/x: read-only file system', ['/var/x']],
    ['bare, error before', 'Permission denied: /var/x', ['/var/x']],
    ['trailing period', 'could not open error log file /var/log/x.log.', ['/var/log/x.log']],
    ['trailing comma', 'cannot write /var/cache/app/x, skipping', ['/var/cache/app/x']],
    ['closing parenthesis', 'failed to lock (/run/app.lock): Read-only file system', ['/run/app.lock']],
    ['balanced parentheses kept', 'failed to open /srv/a(1): Permission denied', ['/srv/a(1)']],
    ['errno suffix', 'open() "/run/nginx.pid" failed (30: Read-only file system)', ['/run/nginx.pid']],
    ['trailing slash', "mkdir: can't create directory '/p/': Read-only file system", ['/p']],
    ['root itself', "touch: cannot touch '/': Read-only file system", ['/']],
    ['unicode', "touch: cannot touch '/données/日本.txt': Read-only file system", ['/données/日本.txt']],
    ['device paths are returned', 'cannot open /dev/kmsg: Operation not permitted', ['/dev/kmsg']],
    ['two paths, in order', "mv: cannot move '/b' to '/a': Read-only file system", ['/b', '/a']],
    ['repeats once', "cannot create '/x': see '/x': Read-only file system", ['/x']],
    ['a path with blanks as a whole field', 'touch: /srv/my files/a b: Read-only file system', ['/srv/my files/a b']],
    ['a path with blanks after a verb', 'cannot create /srv/my files/a b: Read-only file system', ['/srv/my files/a b']],
    ['prose after a bare path is no part of it', 'failed to open /srv/x for writing: Read-only file system', ['/srv/x']],
    ['Go LinkError: two bare paths', 'rename /srv/a /srv/b: read-only file system', ['/srv/a', '/srv/b']],
    ['a shell-escaped name (C locale)', "touch: cannot touch '/caf'$'\\303\\251': Read-only file system", ['/café']],
    ['an ANSI-colored line', '\x1b[31mERROR\x1b[0m cannot write /var/x: Read-only file system', ['/var/x']],
    ['a CRLF line', 'cannot write /var/x: Read-only file system\r', ['/var/x']],
  ])('reads %s', (_name, line, want) => {
    expect(paths(line)).toEqual(want);
  });

  it.each([
    ['a URL', 'failed to fetch http://example.test/var/x: connection refused'],
    ['a rate', 'write failed: 12 requests 1/s, Permission denied'],
    ['an HTTP request target', 'open() failed (13: Permission denied), client: 10.0.0.1, request: "GET /index.html HTTP/1.1"'],
    ['a source location (nginx)', 'unknown directive "x" in /etc/nginx/nginx.conf:12 failed to open'],
    ['a source location (perl)', 'Copy failed: Read-only file system at /srv/app/run.pl line 3.'],
    ['a source location (Python)', 'File "/usr/lib/python3/x.py", line 3: cannot write: Read-only file system'],
    ['a relative path with no directory', 'FATAL:  could not create lock file "postmaster.pid": Read-only file system'],
  ])('returns no path from %s', (_name, line) => {
    expect(paths(line)).toEqual([]);
  });

  it('keeps the failing path next to a source location', () => {
    expect(paths('open() "/etc/nginx/mime.types" failed (2: No such file or directory) in /etc/nginx/nginx.conf:12')).toEqual(['/etc/nginx/mime.types']);
  });

  it('keeps the failing path of an nginx request error, not the request target', () => {
    const line = '2026/11/25 21:25:38 [error] 7#7: *1 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 172.17.0.1, server: localhost, request: "GET /favicon.ico HTTP/1.1", host: "localhost:8080", referrer: "http://localhost:8080/"';
    expect(pathsFromLogLine(line)).toEqual([{ path: '/usr/share/nginx/html/favicon.ico', errno: 'ENOENT' }]);
  });

  it('does not take the script of a shell message for a failed path', () => {
    expect(pathsFromLogLine('/docker-entrypoint.sh: 12: cannot create /etc/app.conf: Read-only file system')).toEqual([
      { path: '/etc/app.conf', errno: 'EROFS', program: 'docker-entrypoint.sh' },
    ]);
  });

  it('joins a relative file with the directory the message names', () => {
    expect(paths('Failed opening the temp RDB file temp-8.rdb (in server root dir /data) for saving: Read-only file system')).toEqual(['/data/temp-8.rdb']);
    expect(paths('could not open file "postmaster.pid" in data directory "/var/lib/pg": Read-only file system')).toEqual(['/var/lib/pg/postmaster.pid']);
  });

  it('does not take "file system" for a relative file to join', () => {
    expect(paths('Read-only file system: cannot create x.tmp in the data directory /srv/data')).toEqual(['/srv/data']);
  });

  it.each([
    ['touch: cannot touch \'/x\': Read-only file system', 'touch'],
    ['/bin/sh: 1: cannot create /x: Read-only file system', 'sh'],
    ['./pe: open(/x): Read-only file system', 'pe'],
    ['(13)Permission denied: AH00091: apache2: could not open error log file /x.', 'apache2'],
    ['nginx: [emerg] open() "/x" failed (13: Permission denied)', 'nginx'],
    ["OSError: [Errno 30] Read-only file system: '/x'", undefined],
    ['java.io.FileNotFoundException: /x (Read-only file system)', undefined],
    ['Error: EROFS: read-only file system, open \'/x\'', undefined],
    ['/x: Read-only file system', undefined],
    ['2026/11/25 21:25:38 [emerg] 1#1: open() "/x" failed (30: Read-only file system)', undefined],
  ])('names the program of %s', (line, program) => {
    expect(pathsFromLogLine(line)).toEqual([program === undefined ? { path: '/x', errno: expect.any(String) } : { path: '/x', errno: expect.any(String), program }]);
  });

  it('stays linear on a long line with many paths', () => {
    const line = `Permission denied: ${Array.from({ length: 20_000 }, (_, i) => `/p${i}`).join(' ')}`;
    const t0 = performance.now();
    expect(pathsFromLogLine(line)).toHaveLength(20_000);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('returns nothing for a line that names a path but reports no failure', () => {
    expect(paths('AH00096: removed PID file /var/run/apache2/apache2.pid (pid=1)')).toEqual([]);
    expect(paths('listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"')).toEqual([]);
    expect(paths('  path: \'/tmp/x\'')).toEqual([]);
  });

  it('reads an app\'s own failure wording, errno other', () => {
    expect(pathsFromLogLine('warning: /var/www/html/index.html not writable, serving the default page')).toEqual([
      { path: '/var/www/html/index.html', errno: 'other' },
    ]);
    expect(pathsFromLogLine('cannot write /var/cache/app/x, skipping')).toEqual([{ path: '/var/cache/app/x', errno: 'other' }]);
  });

  it.each([
    ['Read-only file system', 'EROFS'],
    ['read-only file system', 'EROFS'],
    ['EROFS', 'EROFS'],
    ['Permission denied', 'EACCES'],
    ['EACCES', 'EACCES'],
    ['Operation not permitted', 'EPERM'],
    ['EPERM', 'EPERM'],
    ['No such file or directory', 'ENOENT'],
    ['ENOENT', 'ENOENT'],
    ['No space left on device', 'other'],
    ['Device or resource busy', 'other'],
  ] as const)('tells %s as %s', (text, errno) => {
    expect(pathsFromLogLine(`cannot open '/srv/x': ${text}`)).toEqual([{ path: '/srv/x', errno }]);
  });

  it('takes the first errno a line names', () => {
    expect(pathsFromLogLine("cannot open '/srv/x': Permission denied (after: No such file or directory)")[0]?.errno).toBe('EACCES');
  });
});

describe('isErrorLine', () => {
  it.each([
    'cannot write /var/cache/app/x, skipping',
    'warning: /var/www/html/index.html not writable, serving the default page',
    'FATAL: something',
    '2026/11/25 21:25:38 [emerg] 1#1: bind() to 0.0.0.0:80 failed',
    'panic: runtime error: index out of range',
    'Traceback (most recent call last):',
    'java.lang.IllegalStateException: boom',
    'Exception in thread "main" java.lang.RuntimeException',
    'unable to open config',
    'could not connect',
    "can't open the log file",
    'access denied for user',
    'chown: changing ownership of x: Operation not permitted',
    '[error] something broke',
    'time="2026-11-25T22:07:14Z" level=error msg="boom"',
    '2026-11-25 21:25:38 E something broke',
    'E1125 21:25:38.123456       1 main.go:12] something broke',
    '1:M 25 Nov 2026 21:25:38.123 # Failed opening the temp RDB file temp-8.rdb',
    "AH00558: apache2: Could not reliably determine the server's fully qualified domain name",
    'Segmentation fault (core dumped)',
  ])('flags %s', (line) => {
    expect(isErrorLine(line)).toBe(true);
  });

  it.each([
    '1:M 25 Nov 2026 21:25:38.123 * Ready to accept connections',
    '1:M 25 Nov 2026 21:25:38.123 # Server initialized',
    '2026-11-25 21:25:38.123 UTC [1] LOG:  database system is ready to accept connections',
    '2026/11/25 21:25:38 [notice] 1#1: start worker processes',
    '2026/11/25 21:25:38 [notice] 1#1: using the "epoll" event method',
    '[Wed Nov 25 21:25:38.123456 2026] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.68 (Debian) configured -- resuming normal operations',
    '[::ffff:127.0.0.1]:48902: response:200',
    'logging to /var/log/nginx/error.log',
    'build finished with 0 errors and no warnings',
    '\tat java.base/sun.nio.fs.UnixException.translateToIOException(UnixException.java:100)',
    '',
  ])('does not flag %s', (line) => {
    expect(isErrorLine(line)).toBe(false);
  });
});

describe('normalizeLogLine', () => {
  it.each([
    ['ISO 8601', '2026-11-25T21:25:38.123456Z msg', '<TS> msg'],
    ['RFC 3339 with offset', '2026-11-25T21:25:38+01:00 msg', '<TS> msg'],
    ['syslog', 'Nov 25 21:25:38 host app: msg', '<TS> host app: msg'],
    ['nginx', '2026/11/25 21:25:38 [emerg] 1#1: msg', '<TS> [emerg] N#N: msg'],
    ['redis', '1:M 25 Nov 2026 21:25:38.123 * msg', 'N:M <TS> * msg'],
    ['postgres', '2026-11-25 21:25:38.123 UTC [123] LOG:  msg', '<TS> [N] LOG: msg'],
    ['date(1)', 'Wed Nov 25 21:25:38 UTC 2026 starting', '<TS> starting'],
    ['apache', '[Wed Nov 25 21:25:38.123456 2026] [core:notice] [pid 1:tid 1] msg', '[<TS>] [core:notice] [pid N:tid N] msg'],
    ['common log format', '[25/Nov/2026:21:25:38 +0000] "GET / HTTP/1.1" 200', '[<TS>] "GET / HTTP/N.N" N'],
    ['java.util.logging', 'Nov 25, 2026 9:25:38 PM W main', '<TS> W main'],
    ['pid', 'started by pid 4242', 'started by pid N'],
    ['hex address', 'fault at 0x7ffd1234abcd', 'fault at N'],
    ['hex id', 'container 4f3a2b1c9d8e started', 'container N started'],
    ['uuid', 'request 123e4567-e89b-12d3-a456-426614174000 failed', 'request N failed'],
    ['port', 'connect to 127.0.0.1:54321 refused', 'connect to N.N.N.N:N refused'],
    ['temp file number', 'temp-8.rdb', 'temp-N.rdb'],
    ['durations', 'done in 1.5s, then 350ms, then 1m2.5s', 'done in <DUR>, then <DUR>, then <DUR>'],
    ['blanks', '  a \t b  ', 'a b'],
  ])('masks %s', (_name, line, want) => {
    expect(normalizeLogLine(line)).toBe(want);
  });

  it('keeps words that only look like ids', () => {
    expect(normalizeLogLine('facade deadbeef')).toBe('facade deadbeef');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** A path component of safe characters that never ends in punctuation prose would strip. */
const safeSegment = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,4}$/), { nil: undefined }))
  .map(([base, ext]) => (ext === undefined ? base : `${base}.${ext}`));
const safePath = fc.array(safeSegment, { minLength: 1, maxLength: 5 }).map((s) => `/${s.join('/')}`);

/** Components with blanks and non-ASCII letters, but no quote, colon or parenthesis. */
const WIDE_CHARS = [...'abcXYZ019_-. éüß日本語🙂'];
const wideSegment = fc
  .array(fc.constantFrom(...WIDE_CHARS), { minLength: 1, maxLength: 10 })
  .map((cs) => cs.join(''))
  .filter((s) => s.trim() === s && s !== '.' && !s.endsWith('.'));
const widePath = fc.array(wideSegment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`);

/** Message templates, each from a program's real format; all name the path whole. */
const QUOTING_TEMPLATES: ReadonlyArray<(p: string) => string> = [
  (p) => `2026/11/25 21:25:38 [emerg] 1#1: open() "${p}" failed (30: Read-only file system)`, // nginx
  (p) => `touch: cannot touch '${p}': Read-only file system`, // coreutils
  (p) => `mkdir: can't create directory '${p}': Permission denied`, // busybox
  (p) => `OSError: [Errno 30] Read-only file system: '${p}'`, // python
  (p) => `2026-11-25 21:25:38.123 UTC [1] FATAL:  could not create lock file "${p}": Read-only file system`, // postgres
  (p) => `Error: EROFS: read-only file system, open '${p}'`, // node
  (p) => `touch: ${p}: Read-only file system`, // busybox, perror
  (p) => `java.io.FileNotFoundException: ${p} (Read-only file system)`, // java
  (p) => `java.nio.file.FileSystemException: ${p}: Read-only file system`, // java
  (p) => `java.nio.file.AccessDeniedException: ${p}`, // java
];

/** Templates that print the path bare, ended by a blank or punctuation: safe characters only. */
const BARE_TEMPLATES: ReadonlyArray<(p: string) => string> = [
  ...QUOTING_TEMPLATES,
  (p) => `open ${p}: read-only file system`, // go
  (p) => `mkdir ${p}: permission denied`, // go
  (p) => `sh: 1: cannot create ${p}: Read-only file system`, // dash
  (p) => `flock: cannot open lock file ${p}: Permission denied`, // util-linux
  (p) => `(30)Read-only file system: AH00091: apache2: could not open error log file ${p}.`, // apache
  (p) => `cannot open ${p}: Read-only file system at -e line 1.`, // perl
  (p) => `time="2026-11-25T22:07:14Z" level=error msg="mkdir ${p}: read-only file system"`, // runc
];

const PREFIXES = ['', '2026/11/25 21:25:38 [error] 7#7: ', '2026-11-25 21:25:38.123 UTC [42] ERROR:  ', 'level=error ', '\x1b[31mE\x1b[0m '];

describe('properties', () => {
  it('each template yields exactly its path, after any log prefix', () => {
    fc.assert(
      fc.property(safePath, fc.constantFrom(...BARE_TEMPLATES), fc.constantFrom(...PREFIXES), (p, template, prefix) => {
        expect(pathsFromLogLine(prefix + template(p)).map((x) => x.path)).toEqual([p]);
      }),
      { numRuns: 500 },
    );
  });

  it('a path with blanks and non-ASCII comes out whole where the format delimits it', () => {
    fc.assert(
      fc.property(widePath, fc.constantFrom(...QUOTING_TEMPLATES), (p, template) => {
        expect(pathsFromLogLine(template(p)).map((x) => x.path)).toEqual([p]);
      }),
      { numRuns: 500 },
    );
  });

  it('joins a redis temp file with its directory', () => {
    fc.assert(
      fc.property(safePath, fc.nat(99999), (dir, pid) => {
        const line = `${pid}:C 25 Nov 2026 21:25:38.123 # Failed opening the temp RDB file temp-${pid}.rdb (in server root dir ${dir}) for saving: Read-only file system`;
        expect(pathsFromLogLine(line)).toEqual([{ path: `${dir}/temp-${pid}.rdb`, errno: 'EROFS' }]);
      }),
    );
  });

  it('never throws, and returns distinct absolute paths only', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (line) => {
        const found = pathsFromLogLine(line).map((x) => x.path);
        for (const p of found) expect(p.startsWith('/')).toBe(true);
        expect(new Set(found).size).toBe(found.length);
        isErrorLine(line);
      }),
      { numRuns: 1000 },
    );
  });

  it('normalizing is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 120 }), (line) => {
        const once = normalizeLogLine(line);
        expect(normalizeLogLine(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });

  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  /** One line per timestamp format of the programs above, with the pid where they print one. */
  const STAMPED: ReadonlyArray<(d: Date, pid: number) => string> = [
    (d, pid) => `${d.toISOString()} [${pid}] failed to open /x`,
    (d, pid) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} UTC [${pid}] LOG:  msg`,
    (d, pid) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} [emerg] ${pid}#${pid}: msg`,
    (d, pid) => `${pid}:M ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} # msg`,
    (d, pid) => `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} host app[${pid}]: msg`,
    (d) => `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()} starting`,
    (d, pid) => `[${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}123 ${d.getUTCFullYear()}] [core:notice] [pid ${pid}:tid ${pid}] msg`,
    (d, pid) => `127.0.0.1:${pid} - - [${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000] "GET / HTTP/1.1" 200`,
  ];
  const date = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });

  it('the same message at other times and pids normalizes the same', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STAMPED), date, date, fc.integer({ min: 1, max: 4_194_304 }), fc.integer({ min: 1, max: 4_194_304 }), (stamp, d1, d2, p1, p2) => {
        expect(normalizeLogLine(stamp(d1, p1))).toBe(normalizeLogLine(stamp(d2, p2)));
      }),
      { numRuns: 500 },
    );
  });
});
