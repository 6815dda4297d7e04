import { writeFileSync } from 'node:fs';
import { RoProfileError } from '../errors.js';

/** `--out FILE` of the report commands (drift, diff): a file that cannot be written is a usage error. */
export function writeOut(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new RoProfileError('USAGE', `"--out ${file}" cannot be written: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { hint: 'Give a file path in a directory that exists and is writable.' });
  }
}
