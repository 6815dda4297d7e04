import { compareResults } from '../compare/compare-results.js';
import { widenings, type ResultDiff } from '../compare/diff-model.js';
import { renderDiffTable } from '../compare/diff-report.js';
import { RoProfileError } from '../errors.js';
import type { Result } from '../model/result.js';
import { EXIT } from './exit-codes.js';
import { readResultFile } from './result-file.js';

/** --baseline OLD.json of profile and verify: the gate a CI job runs after the result is made. */

/** Read before anything runs, so a missing or broken baseline is a usage error (exit 2) up front. */
export function readBaseline(file: string | undefined): Result | undefined {
  return file === undefined ? undefined : readResultFile(file, 'USAGE', 'Give the path of a result written with --format json (the baseline the new result must not widen).');
}

export function compareWithBaseline(baseline: Result | undefined, file: string | undefined, result: Result, resultName: string): ResultDiff | undefined {
  return baseline && file !== undefined ? compareResults(baseline, result, { old: file, new: resultName }) : undefined;
}

export function widenedError(d: ResultDiff): RoProfileError | undefined {
  const w = widenings(d);
  if (w.length === 0) return undefined;
  return new RoProfileError('WIDENED', `the config widened since ${d.old.file}: ${w.length} change${w.length === 1 ? '' : 's'} (${[...new Set(w.map((c) => c.kind))].join(', ')})`, {
    hint: 'Check that the new writes are the app\'s own; if so, make the new result the baseline.',
  });
}

/** The differences on stderr (stdout holds the artifact), and the exit status they call for when the run itself succeeded. */
export function reportBaseline(d: ResultDiff | undefined, exitSoFar: number): number {
  if (!d) return exitSoFar;
  process.stderr.write(renderDiffTable(d));
  const err = widenedError(d);
  if (!err) return exitSoFar;
  process.stderr.write(`ro-profile: ${err.message}\nhint: ${err.hint}\n`);
  // A failed verification (7) or a config that cannot run (8) says more than the widening does.
  return exitSoFar !== EXIT.ok ? exitSoFar : EXIT.drift;
}
