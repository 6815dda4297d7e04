import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';
import { RoProfileError } from '../../errors.js';
import { FORMATS } from '../../emit/emit.js';
import { readResultFile } from '../result-file.js';
import { EMIT_FLAGS, emitOptionsOf } from '../shared-flags.js';
import { reportError, writeResult } from '../output.js';

const options = {
  format: { alias: 'f', choices: [...FORMATS, 'all'] as const, default: 'run' as const, describe: 'What to print' },
  out: { alias: 'o', type: 'string', describe: 'Write files into this directory instead of stdout' },
  ...EMIT_FLAGS,
  limits: { choices: ['keep', 'off'] as const, default: 'keep' as const, describe: 'keep: the resource limits the result carries; off: a config without them' },
  json: { type: 'boolean', default: false, describe: 'Print one JSON object {outcome, result | error}' },
  debug: { type: 'boolean', default: false },
} as const;

type EmitArgs = ArgumentsCamelCase<InferredOptionTypes<typeof options>> & { result: string };

export const emitCommand: CommandModule<object, EmitArgs> = {
  command: 'emit <result>',
  describe: 'Print a config from a saved result (--format json) without touching Docker',
  builder: (y: Argv) =>
    y.positional('result', { type: 'string', demandOption: true, describe: 'A result file written by --format json' }).options(options) as unknown as Argv<EmitArgs>,
  handler: (argv) => {
    try {
      if (argv.format === 'all' && argv.out === undefined) {
        throw new RoProfileError('USAGE', '"--format all" needs "--out DIR"', { hint: 'Add --out DIR, or pick one format.' });
      }
      const parsed = readResultFile(argv.result);
      const { limits: _limits, ...unlimited } = parsed;
      writeResult(argv.limits === 'off' ? unlimited : parsed, { format: argv.format, out: argv.out, json: argv.json, emit: emitOptionsOf(argv) });
      process.exitCode = 0;
    } catch (e) {
      process.exitCode = reportError(e, { json: argv.json, debug: argv.debug });
    }
  },
};
