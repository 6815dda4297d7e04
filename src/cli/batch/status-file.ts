import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchEntry } from './batch-entry.js';

export const STATUS_FILE = 'status.json';

/** DIR/<image>/status.json: written when the image starts (running) and when it ends. */
export interface StatusFile {
  readonly schemaVersion: 1;
  readonly toolVersion: string;
  /** The options' fingerprint (runFingerprint): --resume keeps a success only when it is the same. */
  readonly fingerprint: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly entry: BatchEntry;
}

/** Written whole or not at all (a temp file renamed), so a killed batch leaves a readable file. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function writeStatus(imageDir: string, status: StatusFile): void {
  writeFileAtomic(join(imageDir, STATUS_FILE), jsonText(status));
}

/** The status a directory holds, or undefined when there is none or it cannot be read (then the image runs again). */
export function readStatus(imageDir: string): StatusFile | undefined {
  try {
    const s = JSON.parse(readFileSync(join(imageDir, STATUS_FILE), 'utf8')) as Partial<StatusFile>;
    if (s.schemaVersion !== 1 || typeof s.fingerprint !== 'string' || typeof s.entry?.image !== 'string') return undefined;
    return s as StatusFile;
  } catch {
    return undefined;
  }
}

/**
 * The entry to keep for --resume: the directory holds a finished success of the same image with
 * the same fingerprint, and every file it wrote is still there. Anything else runs again.
 */
export function resumedEntry(imageDir: string, image: string, fingerprint: string): BatchEntry | undefined {
  const s = readStatus(imageDir);
  if (!s || s.entry.image !== image || s.entry.outcome !== 'success' || s.fingerprint !== fingerprint || s.finishedAt === undefined) return undefined;
  if (!(s.entry.files ?? []).every((f) => existsSync(join(imageDir, f)))) return undefined;
  return { ...s.entry, outcome: 'resumed' };
}
