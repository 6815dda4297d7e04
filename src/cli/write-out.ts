import { writeFileSync } from 'node:fs';
import { RoProfileError } from '../errors.js';
import { EXIT, exitCodeFor } from './exit-codes.js';

/** `--out FILE` of the report commands (drift, diff): a file that cannot be written is a usage error. */
export function writeOut(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new RoProfileError('USAGE', `"--out ${file}" cannot be written: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { hint: 'Give a file path in a directory that exists and is writable.' });
  }
}

/**
 * A gate's report (drift, diff): to --out FILE or stdout in every case, --json's envelope in its
 * place; the failure, when there is one, on stderr and as the exit status.
 */
export function printGateReport(o: { readonly text: string; readonly result: object; readonly out?: string | undefined; readonly json: boolean; readonly failure: RoProfileError | undefined }): number {
  const err = o.failure;
  if (o.out !== undefined) writeOut(o.out, o.text);
  if (o.json) {
    process.stdout.write(`${JSON.stringify(err ? { outcome: 'error', result: o.result, error: { code: err.code, message: err.message, hint: err.hint } } : { outcome: 'success', result: o.result })}\n`);
  } else if (o.out === undefined) {
    process.stdout.write(o.text);
  }
  if (!err) return EXIT.ok;
  process.stderr.write(`ro-profile: ${err.message}\nhint: ${err.hint}\n`);
  return exitCodeFor(err.code);
}
