import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';
import { FORMATS } from '../../emit/formats.js';
import { EMIT_FLAGS } from '../shared-flags.js';

const options = {
  format: { alias: 'f', choices: [...FORMATS, 'all'] as const, default: 'run' as const, describe: 'What to print' },
  out: { alias: 'o', type: 'string', describe: 'Write files into this directory instead of stdout' },
  ...EMIT_FLAGS,
  limits: { choices: ['keep', 'off'] as const, default: 'keep' as const, describe: 'keep: the resource limits the result carries; off: a config without them' },
  json: { type: 'boolean', default: false, describe: 'Print one JSON object {outcome, result | error}' },
  debug: { type: 'boolean', default: false },
} as const;

export type EmitArgs = ArgumentsCamelCase<InferredOptionTypes<typeof options>> & { result: string };

export const emitCommand: CommandModule<object, EmitArgs> = {
  command: 'emit <result>',
  describe: 'Print a config from a saved result (--format json) without touching Docker',
  builder: (y: Argv) =>
    y.positional('result', { type: 'string', demandOption: true, describe: 'A result file written by --format json' }).options(options) as unknown as Argv<EmitArgs>,
  handler: async (argv) => {
    const { runEmit } = await import('../handlers/emit.js');
    runEmit(argv);
  },
};
