import type { Reporter } from '../pipeline/reporter.js';
import { stageLog } from './stage-log.js';

/**
 * Progress on stderr, one line per stage with its time; --quiet keeps only warnings. A batch
 * gives each image a prefix ("[nginx:alpine] "), so the lines of parallel runs stay apart.
 */
export function stderrReporter(options: { readonly quiet: boolean; readonly prefix?: string }): Reporter {
  const prefix = options.prefix ?? '';
  const log = stageLog();
  const write = (text: string) => process.stderr.write(`ro-profile: ${prefix}${prefix ? text.split('\n').join(`\n${prefix}`) : text}\n`);
  return {
    stage(name, detail, ms) {
      log?.(name, ms);
      if (options.quiet) return;
      write(`${name.padEnd(9)} ${detail}${ms !== undefined ? ` (${(ms / 1000).toFixed(1)} s)` : ''}`);
    },
    info(message) {
      if (!options.quiet) write(message);
    },
    warn(message) {
      write(`warning: ${message}`);
    },
  };
}
