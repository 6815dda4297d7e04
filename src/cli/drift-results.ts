import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RoProfileError, messageOf } from '../errors.js';
import { readResultFile } from './result-file.js';
import type { LoadedResult } from '../drift/match-results.js';

const HINT = 'Give a file written by "ro-profile IMAGE --format json".';

/** --result FILE: unreadable or not a result is RESULT_INVALID (exit 2), with the reason. */
export function loadResult(file: string): LoadedResult {
  return { file, result: readResultFile(file, 'RESULT_INVALID', HINT) };
}

/**
 * --results DIR: every *.json in it that is a result, by file name; the others are skipped with
 * a note each (a directory of CI artifacts holds more than results). None at all is an error.
 */
export function loadResults(dir: string): { readonly results: LoadedResult[]; readonly notes: string[] } {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    throw new RoProfileError('USAGE', `"--results ${dir}" cannot be read: ${(e as NodeJS.ErrnoException).code ?? messageOf(e)}`, { hint: 'Give the directory that holds the results (*.json written by --format json).' });
  }
  const results: LoadedResult[] = [];
  const notes: string[] = [];
  for (const name of names) {
    try {
      results.push(loadResult(join(dir, name)));
    } catch (e) {
      notes.push(`skipped ${join(dir, name)}: ${messageOf(e)}`);
    }
  }
  if (results.length === 0) {
    throw new RoProfileError('RESULT_INVALID', `"--results ${dir}" holds no result (${names.length} .json file${names.length === 1 ? '' : 's'} read)`, { hint: `Put the files written by "ro-profile IMAGE --format json" there.${notes[0] ? ` First refused: ${notes[0]}` : ''}` });
  }
  return { results, notes };
}
