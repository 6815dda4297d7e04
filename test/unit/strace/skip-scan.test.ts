import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FS_HANDLERS } from '../../../src/strace/fs-handlers.js';
import { PROC_HANDLERS, SKIP_UNPARSED } from '../../../src/strace/proc-handlers.js';
import { FirstLook, ForwardSearch, includesWithin, Look, NameTable, nameHash, type SkipTest } from '../../../src/strace/skip-scan.js';
import { parseStraceLine } from '../../../src/strace/strace-line-parse.js';
import { StraceParser } from '../../../src/strace/strace-parser.js';

const FIXTURES = new URL('../../fixtures/strace/', import.meta.url).pathname;
const HANDLED = new Map([...FS_HANDLERS, ...PROC_HANDLERS]);
const table = new NameTable<SkipTest | undefined>([...HANDLED.keys()].map((n) => [n, SKIP_UNPARSED.get(n)] as const));

/** Lines chosen to sit on each edge of the first look: prefixes, timestamps, cut-short calls, garbage. */
const EDGES = [
  '',
  'read(3, "x", 1) = 1',
  '12 read(3, "x", 1) = 1',
  '12  20:26:00.661179 read(3, "x", 1) = 1',
  '[pid  12] 20:26:00.661179 read(3, "x", 1) = 1',
  '[pid 12] read(3, "x", 1) = 1',
  '[pid12] read(3, "x", 1) = 1',
  '[pid  ] read(3, "x", 1) = 1',
  '[ Process PID=12 runs in 64 bit mode. ]',
  '1795638364.420913 read(3, "x", 1) = 1',
  '12       0.000123 read(3, "x", 1) = 1',
  '12 20:26:0x.661179 read(3, "x", 1) = 1',
  '12 20:26:00 20:26:01 20:26:02 read(3, "x", 1) = 1',
  '12345678901234 read(3, "x", 1) = 1',
  '12 read(3, "x", 1)',
  '12 read(3, "x", 1) =1',
  '12 read(3, "x" <unfinished ...>',
  '12 read(3, "x" <detached ...>',
  '12 read <unfinished ...>',
  '12 ????( <unfinished ...>',
  '12 9read(3) = 1',
  '12 _llseek(3, 0, [0], SEEK_SET) = 0',
  '12 close(3</x>) = 0',
  '12 close(3) = 0',
  '12 close(3</x> <unfinished ...>',
  '12 close(',
  '12 dup(3</x>) = 4</x>',
  '12 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0',
  '12 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3</lib/x.so>, 0) = 0x7f0',
  '12 mprotect(0x7f0, 4096, PROT_READ) = 0',
  '12 mprotect(0x7f0, 4096, PROT_READ|PROT_EXEC) = 0',
  '12 openat(AT_FDCWD</app>, "log", O_WRONLY|O_CREAT, 0644) = 3</app/log>',
  '12 openat(AT_FDCWD</app>, "log", O_WRONLY|O_CREAT, 0644 <unfinished ...>',
  '12 <... openat resumed>) = 3</app/log>',
  '12 <... read resumed>"x", 1) = 1',
  '12 <... read resumed) = 1',
  '12 <...read resumed>) = 1',
  '<... read resumed>) = 1',
  '12 --- SIGCHLD {si_signo=SIGCHLD} ---',
  '12 +++ exited with 0 +++',
  'strace: Process 12 attached',
  ' > /lib/x.so(foo+0x1) [0x123]',
  'strace: read(3) = 1',
  'Nov 25 20:26:00 host nginx[1]: started',
  '{"a": 1}',
  '12 openat2(AT_FDCWD, "/x", {flags=O_RDONLY}, 24) = 3',
  '12 openat(AT_FDCWD, "/x", O_RDONLY) = 3</x>',
  '12 openatx(AT_FDCWD, "/x", O_RDONLY) = 3',
  '12 opena(AT_FDCWD, "/x", O_RDONLY) = 3',
];

function fixtureLines(): string[] {
  return ['nginx.strace', 'redis.strace', 'postgres.strace', 'postgres-full.strace'].flatMap((f) => readFileSync(`${FIXTURES}${f}`, 'utf8').split('\n'));
}

describe('FirstLook', () => {
  // The look must claim only what parseStraceLine reads the same way, or the results would change.
  it.each([
    ['edge lines', EDGES],
    ['every line of the real captures', fixtureLines()],
  ])('agrees with parseStraceLine on %s', (_name, lines) => {
    const look = new FirstLook(table);
    for (const line of lines) {
      // Inside a larger text, as on a chunk: nothing past the line may be read.
      const text = `x(1) = 0\n${line}\n<... y resumed>) = 1 <unfinished ...>`;
      const start = 9;
      const kind = look.scan(text, start, start + line.length);
      const l = parseStraceLine(line);
      const where = `${kind} ${line}`;
      if (kind === Look.Other) continue;
      if (kind === Look.Resumed) {
        expect(l, where).toMatchObject({ kind: 'resumed', pid: look.pid });
        continue;
      }
      expect(l.kind, where).toBe('syscall');
      if (l.kind !== 'syscall') continue;
      expect(l.pid ?? -1, where).toBe(look.pid);
      const skip = SKIP_UNPARSED.get(l.name);
      if (kind === Look.Skipped) {
        expect(!HANDLED.has(l.name) || (l.unfinishedAt < 0 && skip?.(line, l.open, line.length) === true), where).toBe(true);
      } else {
        expect({ name: look.name, open: look.open - start, unfinishedAt: look.unfinishedAt < 0 ? -1 : look.unfinishedAt - start }, where).toEqual({
          name: l.name,
          open: l.open,
          unfinishedAt: l.unfinishedAt,
        });
      }
    }
  });

  it('skips most lines of a real capture', () => {
    const look = new FirstLook(table);
    const lines = fixtureLines();
    const skipped = lines.filter((l) => look.scan(l, 0, l.length) === Look.Skipped).length;
    expect(skipped / lines.length).toBeGreaterThan(0.6);
  });
});

describe('StraceParser.pushRange', () => {
  it('gives the same events and counts as push, line by line', () => {
    const lines = [...fixtureLines(), ...EDGES];
    const byLine = new StraceParser();
    for (const line of lines) byLine.push(line);
    const byRange = new StraceParser();
    const text = lines.join('\n');
    let start = 0;
    for (const line of lines) {
      byRange.pushRange(text, start, start + line.length);
      start += line.length + 1;
    }
    expect(byRange.end()).toEqual(byLine.end());
    expect(byRange.end().stats.malformed).toBeGreaterThan(0);
  });

  it('joins a resumed call whose first half was kept, and skips one whose was not', () => {
    const p = new StraceParser();
    const text = [
      '7 openat(AT_FDCWD</app>, "out", O_WRONLY|O_CREAT, 0644 <unfinished ...>',
      '8 read(0, <unfinished ...>',
      '8 <... read resumed>"x", 1) = 1',
      '7 <... openat resumed>) = 3</app/out>',
    ].join('\n');
    let start = 0;
    for (const line of text.split('\n')) {
      p.pushRange(text, start, start + line.length);
      start += line.length + 1;
    }
    const { events, stats } = p.end();
    expect(events.map((e) => `${e.op} ${e.realPath}`)).toEqual(['open-write /app/out']);
    expect(stats).toMatchObject({ lines: 4, parsed: 4, malformed: 0 });
  });
});

describe('NameTable', () => {
  it('finds each name and only whole names', () => {
    const t = new NameTable([['open', 1], ['openat', 2], ['close', 3]] as const);
    const find = (s: string): number | undefined => {
      const i = t.find(s, 0, s.length, nameHash(s, 0, s.length));
      return i === 0 ? undefined : t.value(i);
    };
    expect([find('open'), find('openat'), find('close'), find('ope'), find('openat2'), find('read')]).toEqual([1, 2, 3, undefined, undefined, undefined]);
  });
});

describe('includesWithin', () => {
  it('looks only within the range', () => {
    const text = 'a, -1, b|c, -1, d';
    expect(includesWithin(text, ', -1, ', 0, 8)).toBe(true);
    expect(includesWithin(text, ', -1, ', 9, text.length)).toBe(true);
    expect(includesWithin(text, ', -1, ', 2, 8)).toBe(false);
    expect(includesWithin(text, ', -1, ', 0, 6)).toBe(false);
  });
});

describe('ForwardSearch', () => {
  it('answers as includesWithin for ranges taken in order, out of order, and across texts', () => {
    const a = 'mmap(x, -1, 0) = 1\nmmap(3</x>, 0) = 2\nmmap(3</y>, 0) = 3\nmmap(y, -1, 0) = 4\n';
    const b = 'mmap(3</z>, 0) = 5\nmmap(z, -1, 0) = 6\n';
    const ranges = (text: string): [number, number][] => {
      const out: [number, number][] = [];
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; start = nl + 1, nl = text.indexOf('\n', start)) out.push([start, nl]);
      return out;
    };
    const search = new ForwardSearch(', -1, ');
    const queries: [string, number, number][] = [
      ...ranges(a).map(([s, e]) => [a, s, e] as [string, number, number]),
      ...ranges(b).map(([s, e]) => [b, s, e] as [string, number, number]),
      ...ranges(a).reverse().map(([s, e]) => [a, s, e] as [string, number, number]),
    ];
    for (const [text, s, e] of queries) expect(search.within(text, s, e), text.slice(s, e)).toBe(includesWithin(text, ', -1, ', s, e));
    expect(queries.map(([text, s, e]) => search.within(text, s, e))).toEqual([true, false, false, true, false, true, true, false, false, true]);
  });
});
