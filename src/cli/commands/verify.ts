import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';
import { FORMATS } from '../../emit/formats.js';
import { BASELINE_FLAG, EMIT_FLAGS } from '../shared-flags.js';
import { VERIFY_FORMATS } from '../../verify/verify-formats.js';

const options = {
  format: { alias: 'f', choices: [...FORMATS, 'all'] as const, default: 'json' as const, describe: 'What to print: the result with its new verification record (json), or a config or report from it' },
  out: { alias: 'o', type: 'string', describe: 'Write files into this directory instead of stdout' },
  ...EMIT_FLAGS,
  ...BASELINE_FLAG,
  'verify-with': { choices: VERIFY_FORMATS, default: 'run' as const, describe: 'Which emitted format to run: run (the docker run line, through the engine), compose (through docker-compose), k8s (the Pod, as Docker runs with kubelet-like emptyDirs)' },
  'stop-timeout': { type: 'string', default: '10s', describe: 'Time between the stop signal and SIGKILL' },
  memory: { type: 'string', default: '1g', describe: 'Memory limit of the verification containers' },
  'pids-limit': { type: 'number', default: 512, describe: 'Process limit of the verification containers' },
  json: { type: 'boolean', default: false, describe: 'Print one JSON object {outcome, result | error}' },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'No progress on stderr' },
  debug: { type: 'boolean', default: false },
} as const;

export type VerifyArgs = ArgumentsCamelCase<InferredOptionTypes<typeof options>> & { result: string };

export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify <result>',
  describe: 'Re-verify a saved result against the image its reference names now (exit 0 when the config holds, 7 when not)',
  builder: (y: Argv) =>
    y.positional('result', { type: 'string', demandOption: true, describe: 'A result file written by --format json' }).options(options) as unknown as Argv<VerifyArgs>,
  handler: async (argv) => {
    const { runVerify } = await import('../handlers/verify.js');
    process.exitCode = await runVerify(argv);
  },
};
