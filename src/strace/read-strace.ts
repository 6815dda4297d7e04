import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { RoProfileError, messageOf } from '../errors.js';
import { LineRanges, type LineRangeSink } from './line-splitter.js';
import { StraceParser, type StraceResult } from './strace-parser.js';

/** A file with nothing parsed in this many non-empty lines is not strace output. */
export const SNIFF_LINES = 200;
/** Read size: large enough that the cost of each read vanishes, and the one buffer kept for all reads. */
export const CHUNK_BYTES = 1 << 20;
const HINT = 'Give the file written by "strace -f -y -o FILE COMMAND" (or the FILE.PID files of "strace -ff -y -o FILE").';

export interface ReadOptions {
  /** Bytes read at a time (tests use small ones to cut lines and characters across reads). */
  readonly chunkBytes?: number;
  /** Called after each read with its byte count, once its lines are parsed (progress, benchmarks). */
  readonly onRead?: (bytes: number) => void;
}

/** `trace.1234` (what `strace -ff -o trace` writes) → 1234. */
export function pidFromFileName(file: string): number | undefined {
  const m = /\.(\d+)$/.exec(basename(file));
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/**
 * Reads strace output files into write events, streaming each line by line with flat memory.
 * Files named PREFIX.PID (`-ff`) give their lines that pid, and are read in pid order after the
 * others, so that a child's file is read after its parent's clone gave it a cwd and descriptors.
 * A file with nothing strace-like in its first 200 non-empty lines is refused (PARSE_FAILED,
 * exit 2); an empty file is accepted.
 */
export async function readStraceFiles(files: readonly string[], options: ReadOptions = {}): Promise<StraceResult> {
  const parser = new StraceParser();
  const buffer = Buffer.allocUnsafe(options.chunkBytes ?? CHUNK_BYTES);
  for (const file of ordered(files)) {
    parser.setSource(file);
    await readOne(parser, file, pidFromFileName(file), buffer, options.onRead);
  }
  return parser.end();
}

function ordered(files: readonly string[]): string[] {
  const plain = files.filter((f) => pidFromFileName(f) === undefined);
  const perPid = files.filter((f) => pidFromFileName(f) !== undefined);
  perPid.sort((a, b) => (pidFromFileName(a) ?? 0) - (pidFromFileName(b) ?? 0));
  return [...plain, ...perPid];
}

async function readOne(parser: StraceParser, file: string, pid: number | undefined, buffer: Buffer, onRead?: (bytes: number) => void): Promise<void> {
  const before = parser.parsedLines;
  let nonEmpty = 0;
  const check = (): void => {
    if (nonEmpty > 0 && parser.parsedLines === before) {
      throw new RoProfileError('PARSE_FAILED', `${file} is not strace output: nothing in its first ${nonEmpty} non-empty lines reads as a syscall, signal or exit`, { hint: HINT });
    }
  };
  const push: LineRangeSink = (text, start, end, own) => {
    parser.pushRange(text, start, end, pid, own);
    if (nonEmpty < SNIFF_LINES && end > start && ++nonEmpty === SNIFF_LINES) check();
  };
  try {
    await readLines(file, buffer, push, onRead);
  } catch (e) {
    if (e instanceof RoProfileError) throw e;
    throw new RoProfileError('USAGE', `cannot read the strace file ${file}: ${messageOf(e)}`, { hint: HINT, cause: e });
  }
  if (nonEmpty < SNIFF_LINES) check();
}

/** Calls `onLine` for each line of the file, read into `buffer` (reused: one allocation for all chunks). */
export async function readLines(file: string, buffer: Buffer, onLine: LineRangeSink, onRead?: (bytes: number) => void): Promise<void> {
  const handle = await open(file, 'r');
  const lines = new LineRanges(onLine);
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      lines.push(buffer.subarray(0, bytesRead));
      onRead?.(bytesRead);
    }
    lines.end();
  } finally {
    await handle.close();
  }
}
