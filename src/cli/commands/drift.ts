import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';
import { EXIT } from '../exit-codes.js';

const DRIFT_FORMATS = ['table', 'json', 'sarif'] as const;

const options = {
  result: { type: 'string', describe: 'The result (--format json) to compare the containers with; without one, changes are grouped by directory and only system trees, programs and deletions count as drift' },
  all: { type: 'boolean', default: false, describe: 'Check every running container whose image (by id or reference) has a result in --results DIR' },
  results: { type: 'string', describe: 'With --all: the directory of results (*.json)' },
  format: { alias: 'f', choices: DRIFT_FORMATS, default: 'table' as const, describe: 'table, json, or sarif (SARIF 2.1.0)' },
  out: { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout' },
  json: { type: 'boolean', default: false, describe: 'Print one JSON object {outcome, result | error}' },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'No progress on stderr' },
  debug: { type: 'boolean', default: false },
} as const;

export type DriftArgs = ArgumentsCamelCase<InferredOptionTypes<typeof options>> & { containers?: string[] };

export const driftCommand: CommandModule<object, DriftArgs> = {
  command: 'drift [containers..]',
  describe: `Audit containers' filesystem changes against their result (exit 0 none unexpected, ${EXIT.drift} drift)`,
  builder: (y: Argv) =>
    y.positional('containers', { type: 'string', array: true, describe: 'Container ids or names, running or stopped' }).options(options) as unknown as Argv<DriftArgs>,
  handler: async (argv) => {
    const { runDrift } = await import('../handlers/drift.js');
    process.exitCode = await runDrift(argv);
  },
};
