import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RoProfileError } from '../../../src/errors.js';
import { pidFromFileName, readStraceFiles } from '../../../src/strace/read-strace.js';

const FIXTURES = new URL('../../fixtures/strace/', import.meta.url).pathname;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ro-profile-strace-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pidFromFileName', () => {
  it.each<[string, number | undefined]>([
    ['/tmp/trace.6006', 6006],
    ['trace.log', undefined],
    ['nginx.strace', undefined],
  ])('reads %s', (file, pid) => {
    expect(pidFromFileName(file)).toBe(pid);
  });
});

describe('readStraceFiles', () => {
  it('gives -ff files their pid, reading parents before children', async () => {
    // Given child first: the parent's clone must still give the child its cwd.
    await writeFile(join(dir, 'trace.41'), 'mkdir("child", 0700) = 0\n+++ exited with 0 +++\n');
    await writeFile(join(dir, 'trace.40'), 'chdir("/app") = 0\nclone(child_stack=NULL, flags=SIGCHLD) = 41\n+++ exited with 0 +++\n');
    const { events, stats } = await readStraceFiles([join(dir, 'trace.41'), join(dir, 'trace.40')]);
    expect(events.map((e) => e.realPath)).toEqual(['/app/child']);
    expect(stats).toMatchObject({ lines: 5, parsed: 5, malformed: 0 });
  });

  it('names file:line in malformed examples, without a trailing newline or CR', async () => {
    await writeFile(join(dir, 'trace.log'), 'mkdir("/a", 0700) = 0\r\nnot strace\r\nmkdir("/b", 0700) = 0');
    const { events, stats } = await readStraceFiles([join(dir, 'trace.log')]);
    expect(events.map((e) => e.realPath)).toEqual(['/a', '/b']);
    expect(stats.examples).toEqual([`${join(dir, 'trace.log')}:2: not strace (no "(" after the syscall name)`]);
  });

  it('refuses a file that is not strace output, naming it', async () => {
    const file = join(dir, 'app.log');
    await writeFile(file, Array.from({ length: 300 }, (_, i) => `2026-11-25 INFO request ${i} served`).join('\n'));
    const error = await readStraceFiles([file]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoProfileError);
    expect(error).toMatchObject({ code: 'PARSE_FAILED', message: expect.stringContaining(file) as string, hint: expect.stringContaining('strace -f -y -o FILE') as string });
  });

  it('refuses a short non-strace file too, and accepts an empty one', async () => {
    await writeFile(join(dir, 'short.txt'), '{"not": "strace"}\n');
    await writeFile(join(dir, 'empty.log'), '');
    await expect(readStraceFiles([join(dir, 'short.txt')])).rejects.toMatchObject({ code: 'PARSE_FAILED' });
    await expect(readStraceFiles([join(dir, 'empty.log')])).resolves.toMatchObject({ events: [], stats: { lines: 0 } });
  });

  it('turns a missing file into a usage error', async () => {
    await expect(readStraceFiles([join(dir, 'missing.log')])).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('splits a multi-byte UTF-8 path across a chunk boundary intact', async () => {
    const pad = `getpid() = 1 ${'x'.repeat((1 << 20) - 20)}\n`; // pushes the path over the 1 MiB chunk edge
    await writeFile(join(dir, 'utf8.log'), `${pad}mkdir("/tmp/é€", 0700) = 0\n`);
    const { events } = await readStraceFiles([join(dir, 'utf8.log')]);
    expect(events.map((e) => e.realPath)).toEqual(['/tmp/é€']);
  });
});

describe('readStraceFiles with small reads (lines and characters cut across reads)', () => {
  const trace = [
    '7  20:26:00.000001 chdir("/app") = 0',
    '7  20:26:00.000002 openat(AT_FDCWD, "out.log", O_WRONLY|O_CREAT|O_APPEND, 0644 <unfinished ...>',
    '8  20:26:00.000003 read(0, "x", 1) = 1',
    '7  20:26:00.000004 <... openat resumed>) = 3',
    '8  20:26:00.000005 mkdir("/tmp/é€😀", 0700) = 0',
    '8  20:26:00.000006 unlink("/tmp/gone") = 0',
  ];
  const expected = ['open-write /app/out.log', 'add /tmp/é€😀', 'delete /tmp/gone'];
  const summary = (r: Awaited<ReturnType<typeof readStraceFiles>>): string[] => r.events.map((e) => `${e.op} ${e.realPath}`);

  it.each([1, 7, 16, 64, 1 << 20])('joins an unfinished call and keeps a multi-byte path whole with %i-byte reads', async (chunkBytes) => {
    await writeFile(join(dir, 'small.log'), `${trace.join('\n')}\n`);
    const result = await readStraceFiles([join(dir, 'small.log')], { chunkBytes });
    expect(summary(result)).toEqual(expected);
    expect(result.stats).toMatchObject({ lines: trace.length, parsed: trace.length, malformed: 0 });
  });

  it('reads CRLF line ends and a last line with no newline', async () => {
    await writeFile(join(dir, 'crlf.log'), trace.join('\r\n'));
    const result = await readStraceFiles([join(dir, 'crlf.log')], { chunkBytes: 5 });
    expect(summary(result)).toEqual(expected);
    expect(result.stats).toMatchObject({ lines: trace.length, parsed: trace.length, malformed: 0 });
  });

  it.each(['nginx.strace', 'redis.strace'])('gives the same result for %s whatever the read size', async (name) => {
    const whole = await readStraceFiles([join(FIXTURES, name)]);
    const bySmallReads = await readStraceFiles([join(FIXTURES, name)], { chunkBytes: 333 });
    expect(bySmallReads).toEqual(whole);
  });

  it('reports each read', async () => {
    await writeFile(join(dir, 'small.log'), `${trace.join('\n')}\n`);
    const reads: number[] = [];
    await readStraceFiles([join(dir, 'small.log')], { chunkBytes: 64, onRead: (n) => reads.push(n) });
    expect(reads.reduce((a, b) => a + b, 0)).toBe(Buffer.byteLength(`${trace.join('\n')}\n`));
    expect(Math.max(...reads)).toBe(64);
  });
});

describe('readStraceFiles on the real captures', () => {
  const writes = (events: { op: string; realPath: string }[]): string[] =>
    [...new Set(events.filter((e) => e.op !== 'exec').map((e) => `${e.op} ${e.realPath}`))].sort();

  it.each(['nginx.strace', 'redis.strace', 'postgres.strace', 'postgres-full.strace'])('parses every line of %s', async (name) => {
    const { stats } = await readStraceFiles([join(FIXTURES, name)]);
    expect(stats.malformed).toBe(0);
    expect(stats.parsed).toBe(stats.lines);
  });

  it('finds nginx’s writes, the same from -f and -ff captures', async () => {
    const single = await readStraceFiles([join(FIXTURES, 'nginx.strace')]);
    const perPid = await readStraceFiles(['trace.6006', 'trace.6061', 'trace.6062'].map((f) => join(FIXTURES, 'nginx-ff', f)));
    expect(writes(single.events)).toEqual(expect.arrayContaining(['add /var/lib/nginx/scgi', 'open-write /run/nginx.pid', 'open-write /var/log/nginx/error.log']));
    expect(writes(perPid.events)).toEqual(writes(single.events));
  });

  it('resolves redis’s relative rdb writes against its cwd', async () => {
    const { events } = await readStraceFiles([join(FIXTURES, 'redis.strace')]);
    expect(writes(events)).toEqual(expect.arrayContaining(['open-write /var/lib/redis/temp-1.rdb', 'add /var/lib/redis/dump.rdb']));
  });
});
