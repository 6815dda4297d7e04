import type { Reporter } from '../pipeline/reporter.js';

/** Progress on stderr, one line per stage with its time; --quiet keeps only warnings. */
export function stderrReporter(options: { readonly quiet: boolean }): Reporter {
  const write = (line: string) => process.stderr.write(`${line}\n`);
  return {
    stage(name, detail, ms) {
      if (options.quiet) return;
      write(`ro-profile: ${name.padEnd(9)} ${detail}${ms !== undefined ? ` (${(ms / 1000).toFixed(1)} s)` : ''}`);
    },
    info(message) {
      if (!options.quiet) write(`ro-profile: ${message}`);
    },
    warn(message) {
      write(`ro-profile: warning: ${message}`);
    },
  };
}
