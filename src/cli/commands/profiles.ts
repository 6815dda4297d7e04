import type { Argv, CommandModule } from 'yargs';

export interface ProfilesArgs {
  action?: string;
  name?: string;
  json: boolean;
  debug: boolean;
}

/** `ro-profile profiles` lists the built-ins; `profiles show NAME|FILE` prints one as written. */
export const profilesCommand: CommandModule<object, ProfilesArgs> = {
  command: 'profiles [action] [name]',
  describe: 'List the built-in exercise profiles, or print one ("profiles show NAME")',
  builder: (y: Argv) =>
    y
      .positional('action', { type: 'string', choices: ['list', 'show'], describe: 'list (the default) or show' })
      .positional('name', { type: 'string', describe: 'The profile to show: a built-in name or a file' })
      .options({
        json: { type: 'boolean', default: false, describe: 'Print one JSON object {outcome, result | error}' },
        debug: { type: 'boolean', default: false, describe: 'Show stacks and causes of errors' },
      })
      .example('$0 profiles', 'the built-ins and the images each is picked for')
      .example('$0 profiles show redis', 'print the redis profile') as unknown as Argv<ProfilesArgs>,
  handler: async (argv) => {
    const { runProfiles } = await import('../handlers/profiles.js');
    runProfiles(argv);
  },
};
