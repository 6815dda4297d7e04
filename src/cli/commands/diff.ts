import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';
import { compareResults } from '../../compare/compare-results.js';
import { diffJson, renderDiffJson, renderDiffTable } from '../../compare/diff-report.js';
import { renderDiffSarif } from '../../compare/diff-sarif.js';
import type { ResultDiff } from '../../compare/diff-model.js';
import { diffJunit } from '../../emit/junit.js';
import { widenedError } from '../baseline.js';
import { EXIT } from '../exit-codes.js';
import { reportError } from '../output.js';
import { writeOut } from '../write-out.js';
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
    const text = render(d, argv.format, version);
    if (argv.out !== undefined) writeOut(argv.out, text);
    const err = widenedError(d);
    if (argv.json) {
      const result = diffJson(d, version);
      process.stdout.write(`${JSON.stringify(err ? { outcome: 'error', result, error: { code: err.code, message: err.message, hint: err.hint } } : { outcome: 'success', result })}\n`);
    } else if (argv.out === undefined) {
      process.stdout.write(text);
    }
    // stdout (or --out) has the report either way; the exit status is the gate.
    if (!err) return EXIT.ok;
    process.stderr.write(`ro-profile: ${err.message}\nhint: ${err.hint}\n`);
    return EXIT.drift;
  } catch (e) {
    return reportError(e, out);
  }
}
