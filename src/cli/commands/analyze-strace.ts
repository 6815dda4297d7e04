import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';
import { FORMATS } from '../../emit/formats.js';
import { ANALYSIS_FLAGS, EMIT_FLAGS } from '../shared-flags.js';

const options = {
  image: { type: 'string', describe: 'The image the trace was taken from: inspected (never run) to resolve its symlinks and read what it ships', group: 'Analysis:' },
  ...ANALYSIS_FLAGS,
  format: { alias: 'f', choices: [...FORMATS, 'all'] as const, default: 'json' as const, describe: 'What to print', group: 'Output:' },
  out: { alias: 'o', type: 'string', describe: 'Write files into this directory instead of stdout', group: 'Output:' },
  ...EMIT_FLAGS,
  json: { type: 'boolean', default: false, describe: 'Print one JSON object {outcome, result | error}', group: 'Output:' },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'No progress on stderr', group: 'Output:' },
  debug: { type: 'boolean', default: false, group: 'Output:' },
} as const;

export type Args = ArgumentsCamelCase<InferredOptionTypes<typeof options>> & { files: string[] };

export const analyzeStraceCommand: CommandModule<object, Args> = {
  command: 'analyze-strace <files..>',
  describe: 'Turn strace logs (strace -f -y -o FILE, or -ff per-pid files) into write events, and with --image into a config',
  builder: (y: Argv) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'strace output files' })
      .options(options)
      .example('$0 analyze-strace trace.log --image nginx:alpine --format run', 'a docker run line from a trace') as unknown as Argv<Args>,
  handler: async (argv) => {
    const { runAnalyzeStrace } = await import('../handlers/analyze-strace.js');
    await runAnalyzeStrace(argv);
  },
};
