import { isAscii } from 'node:buffer';

/** A "line" longer than this is no strace output (a binary file): it is cut, so memory stays flat. */
const MAX_LINE_BYTES = 1 << 20;
const EMPTY = Buffer.alloc(0);

/** Copies `text.slice(start, end)` into a string of its own. */
export type LineCopy = (text: string, start: number, end: number) => string;

/** One line: `text.slice(start, end)`, without its "\n" or a trailing "\r"; `own` copies it out, while the sink runs. */
export type LineRangeSink = (text: string, start: number, end: number, own: LineCopy) => void;

/**
 * Cuts a byte stream into lines, chunk by chunk, and hands each over as a range of a decoded
 * chunk, so a caller that skips most lines never allocates a string for them. Lines are cut on
 * bytes ("\n" is never inside a UTF-8 sequence, so a character split across chunks stays
 * whole); a run of lines that is all ASCII, as strace's escaped output nearly always is, is
 * decoded as latin1, which is faster. Each chunk is decoded once; only a line that spans two
 * chunks is decoded on its own.
 */
export class LineRanges {
  private carry: Buffer = EMPTY;
  /** The text being split when it was decoded as latin1, and its bytes: a line is then copied straight from them. */
  private latin1Text = '';
  private latin1Bytes: Buffer = EMPTY;

  constructor(private readonly onLine: LineRangeSink) {}

  /**
   * `text.slice(start, end)` as a string of its own (see {@link ownLine}), for a `text` handed to
   * the sink; made from the chunk's bytes when they were latin1, which is cheaper. Only valid while
   * the sink runs (the caller may reuse the chunk's buffer afterwards).
   */
  readonly own: LineCopy = (text, start, end) =>
    text === this.latin1Text && end - start >= MIN_VIEW_CHARS ? this.latin1Bytes.toString('latin1', start, end) : ownLine(text, start, end);

  /** `chunk` may be reused by the caller once this returns: what is kept of it is copied. */
  push(chunk: Buffer): void {
    const first = chunk.indexOf(10);
    if (first < 0) {
      this.carry = Buffer.concat([this.carry, chunk]);
      if (this.carry.length > MAX_LINE_BYTES) this.flush();
      return;
    }
    const last = chunk.lastIndexOf(10);
    let from = 0;
    if (this.carry.length > 0) {
      this.lines(Buffer.concat([this.carry, chunk.subarray(0, first + 1)]));
      from = first + 1;
    }
    if (last >= from) this.lines(chunk.subarray(from, last + 1));
    this.carry = last + 1 < chunk.length ? Buffer.from(chunk.subarray(last + 1)) : EMPTY;
  }

  /** The last line, when the stream did not end with "\n". */
  end(): void {
    if (this.carry.length > 0) this.flush();
  }

  private flush(): void {
    const text = decode(this.carry);
    this.carry = EMPTY;
    const end = text.charCodeAt(text.length - 1) === 13 ? text.length - 1 : text.length;
    this.onLine(text, 0, end, this.own);
  }

  /** `bytes` end with "\n". */
  private lines(bytes: Buffer): void {
    const latin1 = isAscii(bytes);
    const text = latin1 ? bytes.toString('latin1') : bytes.toString('utf8');
    this.latin1Text = latin1 ? text : '';
    this.latin1Bytes = latin1 ? bytes : EMPTY;
    const onLine = this.onLine;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      onLine(text, start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl, this.own);
      start = nl + 1;
    }
    this.latin1Text = '';
    this.latin1Bytes = EMPTY;
  }
}

/** {@link LineRanges} for callers that want each line as its own string. */
export class LineSplitter {
  private readonly ranges: LineRanges;

  constructor(onLine: (line: string) => void) {
    this.ranges = new LineRanges((text, start, end) => onLine(ownLine(text, start, end)));
  }

  push(chunk: Buffer): void {
    this.ranges.push(chunk);
  }

  /** The last line, when the stream did not end with "\n". */
  end(): void {
    this.ranges.end();
  }
}

/** V8 keeps a slice of 13 or more characters as a view that pins the whole string. */
const MIN_VIEW_CHARS = 13;

/**
 * `text.slice(start, end)` as a string of its own. A plain slice of a chunk would be a view that
 * keeps the whole 1 MiB chunk alive for as long as any part of the line is kept (an event's
 * path, a descriptor's), so memory would grow with the trace. Concatenating and slicing again
 * makes V8 copy the characters into a fresh string.
 */
export function ownLine(text: string, start: number, end: number): string {
  if (start === 0 && end === text.length) return text;
  const line = text.slice(start, end);
  return line.length < MIN_VIEW_CHARS ? line : ` ${line}`.slice(1);
}

function decode(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}
