import { isAscii } from 'node:buffer';

/** A "line" longer than this is no strace output (a binary file): it is cut, so memory stays flat. */
const MAX_LINE_BYTES = 1 << 20;

/**
 * Cuts a byte stream into lines (without "\n" or a trailing "\r"), chunk by chunk. Lines are cut
 * on bytes ("\n" is never inside a UTF-8 sequence); a run of lines that is all ASCII, as strace's
 * escaped output nearly always is, is decoded as latin1, which is faster.
 */
export class LineSplitter {
  private carry: Buffer = Buffer.alloc(0);

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    const first = chunk.indexOf(10);
    if (first < 0) {
      this.carry = Buffer.concat([this.carry, chunk]);
      if (this.carry.length > MAX_LINE_BYTES) {
        this.onLine(decode(this.carry));
        this.carry = Buffer.alloc(0);
      }
      return;
    }
    this.splitText(decode(Buffer.concat([this.carry, chunk.subarray(0, first + 1)])));
    const last = chunk.lastIndexOf(10);
    if (last > first) this.splitText(decode(chunk.subarray(first + 1, last + 1)));
    this.carry = Buffer.from(chunk.subarray(last + 1));
  }

  /** The last line, when the stream did not end with "\n". */
  end(): void {
    if (this.carry.length > 0) this.onLine(decode(this.carry));
    this.carry = Buffer.alloc(0);
  }

  /** `text` ends with "\n". */
  private splitText(text: string): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.onLine(nl > start && text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl));
      start = nl + 1;
    }
  }
}

function decode(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}
