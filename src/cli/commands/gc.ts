import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';
import { DockerEngine } from '../../runtime/docker-engine.js';
import { LABEL_MANAGED } from '../../runtime/labels.js';
import { ownerAlive } from '../../runtime/owner.js';
import { parseDuration } from '../durations.js';
import { reportError } from '../output.js';

const options = {
  'older-than': { type: 'string', describe: 'Also remove what live runs own, once older than this (e.g. 2h)' },
  'dry-run': { type: 'boolean', default: false, describe: 'List what would be removed, remove nothing' },
  json: { type: 'boolean', default: false, describe: 'Print one JSON object' },
  debug: { type: 'boolean', default: false },
} as const;

type GcArgs = ArgumentsCamelCase<InferredOptionTypes<typeof options>>;

export const gcCommand: CommandModule<object, GcArgs> = {
  command: 'gc',
  describe: 'Remove containers and volumes left by ro-profile runs that are no longer alive',
  builder: (y: Argv) => y.options(options) as unknown as Argv<GcArgs>,
  handler: async (argv) => {
    try {
      const olderThanMs = argv.olderThan !== undefined ? parseDuration('older-than', argv.olderThan) : undefined;
      const engine = new DockerEngine();
      const all = await engine.listManaged([`${LABEL_MANAGED}=true`]);
      const now = Date.now();
      const doomed = all.filter((o) => !ownerAlive(o) || (olderThanMs !== undefined && now - o.createdAt.getTime() > olderThanMs));
      // Containers first: a volume in use cannot be removed.
      doomed.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'container' ? -1 : 1));
      for (const o of doomed) {
        if (!argv.dryRun) {
          if (o.kind === 'container') await engine.removeContainer(o.id);
          else await engine.removeVolume(o.id);
        }
        if (!argv.json) process.stderr.write(`ro-profile: ${argv.dryRun ? 'would remove' : 'removed'} ${o.kind} ${o.kind === 'container' ? o.id.slice(0, 12) : o.name}\n`);
      }
      const kept = all.length - doomed.length;
      if (argv.json) {
        process.stdout.write(`${JSON.stringify({ outcome: 'success', result: { removed: doomed.map((o) => ({ kind: o.kind, id: o.id })), kept, dryRun: argv.dryRun } })}\n`);
      } else {
        process.stderr.write(`ro-profile: ${doomed.length} ${argv.dryRun ? 'to remove' : 'removed'}, ${kept} kept (owned by live runs)\n`);
      }
      process.exitCode = 0;
    } catch (e) {
      process.exitCode = reportError(e, { json: argv.json, debug: argv.debug });
    }
  },
};

