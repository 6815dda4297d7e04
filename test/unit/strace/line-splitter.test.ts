import { describe, expect, it } from 'vitest';
import { LineRanges, LineSplitter, ownLine } from '../../../src/strace/line-splitter.js';

/** Pushes `bytes` in pieces of `size` bytes and returns the lines seen, plus each line's own copy. */
function split(bytes: Buffer, size: number): { lines: string[]; copies: string[] } {
  const lines: string[] = [];
  const copies: string[] = [];
  const ranges = new LineRanges((text, start, end, own) => {
    lines.push(text.slice(start, end));
    copies.push(own(text, start, end));
  });
  // One reused buffer, as readStraceFiles reads: what the splitter keeps must be copied.
  const reused = Buffer.alloc(size);
  for (let at = 0; at < bytes.length; at += size) {
    const n = bytes.copy(reused, 0, at, Math.min(at + size, bytes.length));
    ranges.push(reused.subarray(0, n));
    reused.fill(0x7a);
  }
  ranges.end();
  return { lines, copies };
}

describe('LineRanges', () => {
  const text = 'first line\r\nsecond, longer than thirteen\n\nthé café ✓ 😀 line\nno newline at the end';
  const expected = ['first line', 'second, longer than thirteen', '', 'thé café ✓ 😀 line', 'no newline at the end'];

  it.each([1, 2, 3, 5, 7, 64, 4096])('cuts the same lines whatever the chunk size (%i bytes), multi-byte characters split across chunks included', (size) => {
    const { lines, copies } = split(Buffer.from(text, 'utf8'), size);
    expect(lines).toEqual(expected);
    expect(copies).toEqual(expected);
  });

  it('drops the "\\r" of a last line with no newline', () => {
    expect(split(Buffer.from('a\r\nb\r'), 1).lines).toEqual(['a', 'b']);
  });

  it('gives nothing for an empty stream, and an empty line for a lone newline', () => {
    expect(split(Buffer.alloc(0), 4).lines).toEqual([]);
    expect(split(Buffer.from('\n'), 4).lines).toEqual(['']);
  });

  it('decodes invalid UTF-8 as the whole-line decoder does', () => {
    const bytes = Buffer.concat([Buffer.from('x\n'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' bad\n')]);
    expect(split(bytes, 2).lines).toEqual(['x', Buffer.from([0xc3, 0x28, 0xff, 0x20, 0x62, 0x61, 0x64]).toString('utf8')]);
  });
});

describe('LineSplitter', () => {
  it('hands over each line as a string', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    s.push(Buffer.from('ab'));
    s.push(Buffer.from('c\r\nd\ne'));
    s.end();
    expect(lines).toEqual(['abc', 'd', 'e']);
  });
});

describe('ownLine', () => {
  it('is the slice, short or long', () => {
    const text = 'x'.repeat(5) + 'a line longer than thirteen characters' + 'y'.repeat(5);
    expect(ownLine(text, 5, text.length - 5)).toBe('a line longer than thirteen characters');
    expect(ownLine(text, 5, 8)).toBe('a l');
    expect(ownLine(text, 0, text.length)).toBe(text);
  });
});
