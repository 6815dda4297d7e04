import { describe, expect, it } from 'vitest';
import { HEAD_BYTES, formatOf } from '../../../src/harvest/formats.js';

const bytes = (...xs: number[]) => Buffer.from(xs);
const text = (s: string) => Buffer.from(s, 'latin1');

describe('formatOf', () => {
  it.each<[string, Buffer | undefined, string | undefined]>([
    ['no head (an empty file, or none read)', undefined, undefined],
    ['an empty head', Buffer.alloc(0), undefined],
    ['a SQLite database', text('SQLite format 3\0'), 'sqlite'],
    ['a SQLite header cut short', text('SQLite format 3'), undefined],
    ['a SQLite write-ahead log (big-endian checksums)', bytes(0x37, 0x7f, 0x06, 0x82, 0, 0x2d, 0xe2, 0x18), 'sqlite-wal'],
    ['a SQLite write-ahead log (little-endian checksums)', bytes(0x37, 0x7f, 0x06, 0x83, 0, 0x2d, 0xe2, 0x18), 'sqlite-wal'],
    ['a redis dump', text('REDIS0011\xfa\tredis-ver'), 'redis-rdb'],
    ['a gzip stream', bytes(0x1f, 0x8b, 0x08, 0x00), 'gzip'],
    ['a redis magic in lower case', text('redis0011'), undefined],
    ['plain text', text('hello, world\n'), undefined],
    ['one byte of a magic', bytes(0x1f), undefined],
  ])('recognises %s', (_name, head, format) => {
    expect(formatOf(head)).toBe(format);
  });

  it('reads enough bytes for the longest magic', () => {
    expect(HEAD_BYTES).toBeGreaterThanOrEqual('SQLite format 3\0'.length);
  });
});
