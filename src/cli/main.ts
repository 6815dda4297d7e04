#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { analyzeStraceCommand } from './commands/analyze-strace.js';
import { emitCommand } from './commands/emit.js';
import { gcCommand } from './commands/gc.js';
import { profileCommand } from './commands/profile.js';
import { verifyCommand } from './commands/verify.js';
import { EXIT } from './exit-codes.js';
import { toolVersion } from './version.js';

await yargs(hideBin(process.argv))
  .scriptName('ro-profile')
  // Everything after `--` is the container's command, kept apart from our own flags.
  .parserConfiguration({ 'populate--': true, 'unknown-options-as-args': false })
  .command(gcCommand)
  .command(emitCommand)
  .command(analyzeStraceCommand)
  .command(verifyCommand)
  .command(profileCommand)
  .strict()
  .recommendCommands()
  .version(toolVersion())
  .wrap(Math.min(120, process.stdout.columns || 100))
  .fail((msg, err, y) => {
    if (err) throw err;
    process.stderr.write(`${y.help() ? '' : ''}ro-profile: ${msg}\nhint: run "ro-profile --help" for the flags\n`);
    process.exit(EXIT.usage);
  })
  .parseAsync();
