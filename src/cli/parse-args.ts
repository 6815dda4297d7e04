import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { analyzeStraceCommand } from './commands/analyze-strace.js';
import { batchCommand } from './commands/batch.js';
import { diffCommand } from './commands/diff.js';
import { driftCommand } from './commands/drift.js';
import { emitCommand } from './commands/emit.js';
import { gcCommand } from './commands/gc.js';
import { profileCommand } from './commands/profile.js';
import { profilesCommand } from './commands/profiles.js';
import { verifyCommand } from './commands/verify.js';
import { EXIT } from './exit-codes.js';
import { usageEnvelope } from './usage-envelope.js';
import { toolVersion } from './version.js';

/**
 * Parses the command line and runs the command it names. Only the flags load here: each command's
 * handler imports its implementation when it runs (see test/unit/cli/light-commands.test.ts).
 */
export async function parseArgs(): Promise<void> {
  await yargs(hideBin(process.argv))
    .scriptName('ro-profile')
    // Everything after `--` is the container's command, kept apart from our own flags.
    .parserConfiguration({ 'populate--': true, 'unknown-options-as-args': false })
    .command(gcCommand)
    .command(emitCommand)
    .command(analyzeStraceCommand)
    .command(verifyCommand)
    .command(driftCommand)
    .command(batchCommand)
    .command(diffCommand)
    .command(profilesCommand)
    .command(profileCommand)
    .strict()
    .recommendCommands()
    .version(toolVersion())
    .wrap(Math.min(120, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      const hint = 'run "ro-profile --help" for the flags';
      // --json promises the envelope on every path: a flag our own (before any "--" of the container's command).
      const own = process.argv.slice(2, process.argv.includes('--') ? process.argv.indexOf('--') : undefined);
      if (own.includes('--json')) process.stdout.write(usageEnvelope(msg, hint));
      process.stderr.write(`ro-profile: ${msg}\nhint: ${hint}\n`);
      process.exit(EXIT.usage);
    })
    .parseAsync();
}
