import { describe, expect, it } from 'vitest';
import { decodeDecoration, parseFdArg, parseStringArg, parseSyscallText, unescapeBytes } from '../../../src/strace/strace-args-parse.js';

describe('parseSyscallText', () => {
  it.each<[string, string, readonly string[], Record<string, unknown>]>([
    ['a -y open', '(AT_FDCWD</tmp>, "rp-test/a/f", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</tmp/rp-test/a/f>', ['AT_FDCWD</tmp>', '"rp-test/a/f"', 'O_WRONLY|O_CREAT|O_TRUNC', '0666'], { value: 3, decoded: '/tmp/rp-test/a/f' }],
    ['an errno', '(AT_FDCWD, "/var/log/x", O_WRONLY|O_CREAT|O_APPEND, 0644) = -1 EROFS (Read-only file system)', ['AT_FDCWD', '"/var/log/x"', 'O_WRONLY|O_CREAT|O_APPEND', '0644'], { value: -1, errno: 'EROFS' }],
    ['padding before "="', '("/tmp")     = 0', ['"/tmp"'], { value: 0 }],
    ['commas and ")" inside a string', '("a, b) = c", 0777) = 0', ['"a, b) = c"', '0777'], { value: 0 }],
    ['structs and arrays', '({sa_family=AF_UNIX, sun_path="/run/x.sock"}, [1, 2]) = 0', ['{sa_family=AF_UNIX, sun_path="/run/x.sock"}', '[1, 2]'], { value: 0 }],
    ['a -yy TCP decoration with "->"', '(3<TCP:[127.0.0.1:80->127.0.0.1:5000]>, 1) = 0', ['3<TCP:[127.0.0.1:80->127.0.0.1:5000]>', '1'], { value: 0 }],
    ['a -yy device suffix', '(1</dev/null<char 1:3>>) = 4</dev/null<char 1:3>>', ['1</dev/null<char 1:3>>'], { value: 4, decoded: '/dev/null' }],
    ['no result yet (= ?)', '(0) = ?', ['0'], { value: undefined }],
    ['-T time after the result', '("/x") = 0 <0.000012>', ['"/x"'], { value: 0 }],
    ['an empty argument list', '() = 9658', [], { value: 9658 }],
    ['a mmap address', '(NULL, 8192, PROT_READ, MAP_PRIVATE, 3</x.so>, 0) = 0x7f871ba5d000', ['NULL', '8192', 'PROT_READ', 'MAP_PRIVATE', '3</x.so>', '0'], { value: 0x7f871ba5d000 }],
  ])('splits %s', (_name, text, args, result) => {
    const parsed = parseSyscallText(text);
    expect(parsed.kind).toBe('ok');
    if (parsed.kind !== 'ok') return;
    expect(parsed.args).toEqual(args);
    expect(parsed.result).toMatchObject(result);
  });

  it('reports arguments that do not end', () => {
    expect(parseSyscallText('(AT_FDCWD, "/x"')).toEqual({ kind: 'bad', reason: 'the arguments do not end with ")"' });
  });
});

describe('strings and descriptors', () => {
  it.each<[string, string, string]>([
    ['octal UTF-8 bytes', '/tmp/\\303\\251', '/tmp/é'],
    ['\\n, \\" and \\\\', 'a\\nb\\"c\\\\d', 'a\nb"c\\d'],
    ['hex bytes (-x)', '\\x2f\\x74mp', '/tmp'],
    ['a short octal', 'a\\0b', 'a\0b'],
    ['tab', 'a\\tb', 'a\tb'],
  ])('unescapes %s', (_name, escaped, plain) => {
    expect(unescapeBytes(escaped)).toBe(plain);
  });

  it.each<[string, unknown]>([
    ['"/var/log/x"', { kind: 'string', value: '/var/log/x' }],
    ['"/tmp/\\303\\251\\n\\"q"', { kind: 'string', value: '/tmp/é\n"q' }],
    ['"abc"...', { kind: 'none', why: 'truncated' }],
    ['NULL', { kind: 'none', why: 'null' }],
    ['0x7ffc428bbd30', { kind: 'none', why: 'not-a-string' }],
  ])('reads the string argument %s', (token, expected) => {
    expect(parseStringArg(token)).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['3</var/log/x>', { fd: 3, decorated: true, decoded: '/var/log/x' }],
    ['3<socket:[123]>', { fd: 3, decorated: true, decoded: undefined }],
    ['AT_FDCWD</app>', { fd: 'cwd', decorated: true, decoded: '/app' }],
    ['AT_FDCWD', { fd: 'cwd', decorated: false, decoded: undefined }],
    ['7', { fd: 7, decorated: false, decoded: undefined }],
    ['5</tmp/x (deleted)>', { fd: 5, decorated: true, decoded: '/tmp/x' }],
  ])('reads the descriptor %s', (token, expected) => {
    expect(parseFdArg(token)).toEqual(expected);
  });

  it.each<[string, string | undefined]>([
    ['/memfd:jit (deleted)', undefined],
    ['anon_inode:[eventfd]', undefined],
    ['pipe:[1289518]', undefined],
    ['/tmp/a\\76b', '/tmp/a>b'],
  ])('decodes the decoration %s', (inner, expected) => {
    expect(decodeDecoration(inner)).toBe(expected);
  });
});
