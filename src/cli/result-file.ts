import { readFileSync } from 'node:fs';
import { RoProfileError, type ErrorCode } from '../errors.js';
import type { Result } from '../model/result.js';
import { parseResult } from '../model/parse-result.js';

/**
 * A result file given on the command line, read and checked against the schema (parseResult's
 * RESULT_INVALID); one that cannot be read at all is `code` (exit 2 either way), with the reason.
 */
export function readResultFile(file: string, code: Extract<ErrorCode, 'USAGE' | 'RESULT_INVALID'> = 'USAGE', hint = 'Give the path of a file written with --format json.'): Result {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RoProfileError(code, `"${file}" cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { hint });
  }
  return parseResult(text, file);
}
