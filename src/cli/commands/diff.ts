import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';
import { EXIT } from '../exit-codes.js';

export const DIFF_FORMATS = ['table', 'json', 'sarif', 'junit'] as const;

const options = {
  format: { alias: 'f', choices: DIFF_FORMATS, default: 'table' as const, describe: 'table, json, sarif (SARIF 2.1.0) or junit (JUnit XML)' },
  out: { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout' },
  json: { type: 'boolean', default: false, describe: 'Print one JSON object {outcome, result | error}' },
  debug: { type: 'boolean', default: false },
} as const;

export type DiffArgs = ArgumentsCamelCase<InferredOptionTypes<typeof options>> & { old: string; new: string };

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff <old> <new>',
  describe: `Compare two results: new writable paths, widened mounts, owner, exec, process settings, verification (exit 0 not widened, ${EXIT.drift} widened)`,
  builder: (y: Argv) =>
    y
      .positional('old', { type: 'string', demandOption: true, describe: 'The baseline result (--format json)' })
      .positional('new', { type: 'string', demandOption: true, describe: 'The result to check against it' })
      .options(options) as unknown as Argv<DiffArgs>,
  handler: async (argv) => {
    const { runDiff } = await import('../handlers/diff.js');
    process.exitCode = runDiff(argv);
  },
};
