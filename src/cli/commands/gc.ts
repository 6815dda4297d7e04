import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';

const options = {
  session: { type: 'string', describe: 'Remove everything of this one session (as a second Ctrl-C prints it), whether or not its process still runs' },
  'older-than': { type: 'string', describe: 'Also remove what live runs own, once older than this (e.g. 2h)' },
  'dry-run': { type: 'boolean', default: false, describe: 'List what would be removed, remove nothing' },
  images: { type: 'boolean', default: false, describe: 'Also remove the tracer images ro-profile built (a cache: the next --tracer strace builds them again)' },
  json: { type: 'boolean', default: false, describe: 'Print one JSON object' },
  debug: { type: 'boolean', default: false },
} as const;

export type GcArgs = ArgumentsCamelCase<InferredOptionTypes<typeof options>>;

export const gcCommand: CommandModule<object, GcArgs> = {
  command: 'gc',
  describe: 'Remove containers, volumes and networks left by ro-profile runs that are no longer alive (and with --images the tracer images it built)',
  builder: (y: Argv) => y.options(options) as unknown as Argv<GcArgs>,
  handler: async (argv) => {
    const { runGc } = await import('../handlers/gc.js');
    await runGc(argv);
  },
};
