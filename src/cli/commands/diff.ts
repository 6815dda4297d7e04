import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';
import { compareResults } from '../../compare/compare-results.js';
import { diffJson, renderDiffJson, renderDiffTable } from '../../compare/diff-report.js';
import { renderDiffSarif } from '../../compare/diff-sarif.js';
import type { ResultDiff } from '../../compare/diff-model.js';
import { diffJunit } from '../../emit/junit.js';
import { widenedError } from '../baseline.js';
import { EXIT } from '../exit-codes.js';
import { reportError } from '../output.js';
import { printGateReport } from '../write-out.js';
import { readResultFile } from '../result-file.js';
import { toolVersion } from '../version.js';

export const DIFF_FORMATS = ['table', 'json', 'sarif', 'junit'] as const;

const options = {
  format: { alias: 'f', choices: DIFF_FORMATS, default: 'table' as const, describe: 'table, json, sarif (SARIF 2.1.0) or junit (JUnit XML)' },
  out: { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout' },
  json: { type: 'boolean', default: false, describe: 'Print one JSON object {outcome, result | error}' },
  debug: { type: 'boolean', default: false },
} as const;

type DiffArgs = ArgumentsCamelCase<InferredOptionTypes<typeof options>> & { old: string; new: string };

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff <old> <new>',
  describe: `Compare two results: new writable paths, widened mounts, owner, exec, process settings, verification (exit 0 not widened, ${EXIT.drift} widened)`,
  builder: (y: Argv) =>
    y
      .positional('old', { type: 'string', demandOption: true, describe: 'The baseline result (--format json)' })
      .positional('new', { type: 'string', demandOption: true, describe: 'The result to check against it' })
      .options(options) as unknown as Argv<DiffArgs>,
  handler: (argv) => {
    process.exitCode = runDiff(argv);
  },
};

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

function runDiff(argv: DiffArgs): number {
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
