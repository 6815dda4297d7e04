import { compareResults } from '../../compare/compare-results.js';
import { diffJson, renderDiffJson, renderDiffTable } from '../../compare/diff-report.js';
import { renderDiffSarif } from '../../compare/diff-sarif.js';
import type { ResultDiff } from '../../compare/diff-model.js';
import { diffJunit } from '../../emit/junit.js';
import { widenedError } from '../baseline.js';
import { reportError } from '../output.js';
import { printGateReport } from '../write-out.js';
import { readResultFile } from '../result-file.js';
import { toolVersion } from '../version.js';
import type { DIFF_FORMATS, DiffArgs } from '../commands/diff.js';

function render(d: ResultDiff, format: (typeof DIFF_FORMATS)[number], version: string): string {
  switch (format) {
    case 'table':
      return renderDiffTable(d);
    case 'json':
      return renderDiffJson(d, version);
    case 'sarif':
      return renderDiffSarif(d, version);
    case 'junit':
      return diffJunit(d);
    default: {
      const never: never = format;
      return never;
    }
  }
}

/** `ro-profile diff OLD NEW`: prints the comparison and returns the exit code (the drift code when widened). */
export function runDiff(argv: DiffArgs): number {
  const out = { json: argv.json, debug: argv.debug };
  try {
    const hint = 'Give two result files written with --format json: the baseline first, then the new one.';
    const d = compareResults(readResultFile(argv.old, 'USAGE', hint), readResultFile(argv.new, 'USAGE', hint), { old: argv.old, new: argv.new });
    const version = toolVersion();
    // stdout (or --out) has the report either way; the exit status is the gate.
    return printGateReport({ text: render(d, argv.format, version), result: diffJson(d, version), out: argv.out, json: argv.json, failure: widenedError(d) });
  } catch (e) {
    return reportError(e, out);
  }
}
