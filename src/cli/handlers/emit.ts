import { RoProfileError } from '../../errors.js';
import { readResultFile } from '../result-file.js';
import { emitOptionsOf } from '../shared-flags.js';
import { reportError, writeResult } from '../output.js';
import type { EmitArgs } from '../commands/emit.js';

/** `ro-profile emit RESULT`: prints a config from a saved result, without Docker; sets the exit code. */
export function runEmit(argv: EmitArgs): void {
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
}
