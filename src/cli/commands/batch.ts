import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';
import { options as profileFlags } from './profile.js';

const p = profileFlags;

/** The profile flags that shape every image's run and config: they make the options' fingerprint. */
const shaping = {
  timeout: p.timeout,
  profile: { ...p.profile, describe: 'Exercise every image as this profile says (a YAML file or a built-in name); default: for each image, the built-in whose match fits it; --no-profile: the generic exercise for all' },
  probe: p.probe,
  duration: p.duration,
  'exec-timeout': p['exec-timeout'],
  settle: p.settle,
  'stop-timeout': p['stop-timeout'],
  memory: p.memory,
  'pids-limit': p['pids-limit'],
  limits: p.limits,
  headroom: p.headroom,
  tracer: p.tracer,
  'tracer-method': p['tracer-method'],
  'tracer-image': p['tracer-image'],
  'tracer-base': p['tracer-base'],
  harden: p.harden,
  verify: p.verify,
  'verify-with': p['verify-with'],
  'max-rounds': p['max-rounds'],
  'leave-one-out': p['leave-one-out'],
  format: { ...p.format, default: 'all' as const, describe: 'What each image directory gets (all: every format)' },
  'compose-override': p['compose-override'],
  'k8s-kind': p['k8s-kind'],
  'k8s-patch': p['k8s-patch'],
  'k8s-memory': p['k8s-memory'],
} as const;

const options = {
  ...shaping,
  file: { type: 'string', describe: 'Read image references from this file, one a line ("#" comments; "-": standard input)', group: 'Batch:' },
  out: { alias: 'o', type: 'string', demandOption: true, describe: 'Write each image\'s files into DIR/<image>/, and summary.json and summary.md into DIR', group: 'Batch:' },
  concurrency: { alias: 'j', type: 'number', default: 2, describe: 'Images profiled at once (1 to 16)', group: 'Batch:' },
  resume: { type: 'boolean', default: false, describe: 'Skip images whose directory holds a finished success made with the same options; run the others', group: 'Batch:' },
  json: { type: 'boolean', default: false, describe: 'Print one JSON object {outcome, summary, error?} instead of the table', group: 'Output:' },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'No progress on stderr (failures are still said)', group: 'Output:' },
  debug: p.debug,
} as const;

export type BatchArgs = ArgumentsCamelCase<InferredOptionTypes<typeof options>> & { images?: string[] };

export const batchCommand: CommandModule<object, BatchArgs> = {
  command: 'batch [images..]',
  describe: 'Profile a catalogue of images, a few at a time, into DIR/<image>/ with a summary (exit 9 when some failed)',
  builder: (y: Argv) =>
    y
      .positional('images', { type: 'string', array: true, describe: 'Image references (and/or --file LIST)' })
      .options(options)
      .example('$0 batch nginx:alpine redis:7 --out profiles/', 'two images, two at a time')
      .example('$0 batch --file images.txt --out profiles/ --concurrency 4 --resume', 'a list, re-running only what did not succeed') as unknown as Argv<BatchArgs>,
  handler: async (argv) => {
    const { runBatchCommand } = await import('../handlers/batch.js');
    process.exitCode = await runBatchCommand(argv, Object.keys(shaping));
  },
};
