import { HARDEN_LEVELS } from '../../model/hardening.js';
import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';
import { FORMATS } from '../../emit/formats.js';
import { LIMIT_POLICIES } from '../../model/usage.js';
import { ANALYSIS_FLAGS, BASELINE_FLAG, EMIT_FLAGS } from '../shared-flags.js';
import { DEFAULT_TRACER_BASE, TRACE_METHODS } from '../../trace/tracer-choices.js';
import { VERIFY_FORMATS } from '../../verify/verify-formats.js';

export const options = {
  compose: { type: 'string', describe: 'Profile a service of this compose file instead of IMAGE (with --service when it has several): its dependencies run on a private network meanwhile', group: 'Source:' },
  manifest: { type: 'string', describe: 'Profile a container of this Kubernetes manifest (or helm template output) instead of IMAGE; emits patches for that workload', group: 'Source:' },
  container: { type: 'string', describe: 'With --manifest: which container, as CONTAINER, WORKLOAD/CONTAINER or KIND/WORKLOAD/CONTAINER (needed when there are several)', group: 'Source:' },
  env: { alias: 'e', type: 'string', array: true, default: [] as string[], describe: 'Set a variable (NAME=VALUE, or NAME to take it from your environment); outputs name it, never its value', group: 'Run options (passed through):' },
  'env-file': { type: 'string', array: true, default: [] as string[], describe: 'Read variables from a file; outputs repeat --env-file FILE', group: 'Run options (passed through):' },
  user: { alias: 'u', type: 'string', describe: 'Run as this user (name|uid[:group|gid])', group: 'Run options (passed through):' },
  entrypoint: { type: 'string', describe: "Override the image's entrypoint", group: 'Run options (passed through):' },
  volume: { alias: 'v', type: 'string', array: true, default: [] as string[], describe: 'Mount a volume (SRC:DST[:OPTS]); writes below it count as covered', group: 'Run options (passed through):' },
  mount: { type: 'string', array: true, default: [] as string[], describe: 'Attach a mount (docker --mount syntax)', group: 'Run options (passed through):' },
  publish: { alias: 'p', type: 'string', array: true, default: [] as string[], describe: 'Publish a port in the output (profiling itself publishes on 127.0.0.1 only)', group: 'Run options (passed through):' },
  network: { type: 'string', describe: 'Connect to this network', group: 'Run options (passed through):' },
  exec: { type: 'string', array: true, default: [] as string[], describe: 'Run a command inside the container (sh -c) as part of the exercise; repeatable', group: 'Exercise:' },
  probe: { type: 'boolean', default: true, describe: 'Probe the ports (HTTP GET, else TCP); --no-probe sends no request and waits --settle (or the healthcheck)', group: 'Exercise:' },
  duration: { type: 'string', default: '0', describe: 'Keep it running this long after the exercise (e.g. 30s)', group: 'Exercise:' },
  timeout: { type: 'string', describe: '[default: 60s, or the profile\'s] Give up when it is not ready after this long', group: 'Exercise:' },
  profile: { type: 'string', describe: 'Exercise it as this profile says: a YAML file, or a built-in by name (default: the built-in whose match fits the image; --no-profile for the generic exercise)', group: 'Exercise:' },
  'exec-timeout': { type: 'string', default: '5m', describe: 'Longest one --exec step may take (past it: exit 5 in the writable run, a difference in a hardened one)', group: 'Exercise:' },
  settle: { type: 'string', default: '2s', describe: 'Wait this long for an image with no port and no healthcheck', group: 'Exercise:' },
  'stop-timeout': { type: 'string', default: '10s', describe: 'Time between the stop signal and SIGKILL', group: 'Exercise:' },
  memory: { type: 'string', default: '1g', describe: 'Memory limit of the profiling container', group: 'Exercise:' },
  'pids-limit': { type: 'number', default: 512, describe: 'Process limit of the profiling container', group: 'Exercise:' },
  limits: { choices: LIMIT_POLICIES, default: 'starter' as const, describe: 'Resource limits in the config, from what the writable run used (peak memory, CPU, tasks) with headroom: starter (x2, generous floors), strict (x1.25, small floors), off; verification runs under them', group: 'Limits:' },
  headroom: { type: 'number', describe: '[default: 2 with starter, 1.25 with strict] Factor over each measured peak (at least 1)', group: 'Limits:' },
  tracer: { choices: ['none', 'strace'] as const, default: 'none' as const, describe: 'Also trace the app live with strace: finds transient files, opened-but-unchanged files, failed writes and executed files the diff cannot see', group: 'Tracing:' },
  'tracer-method': { choices: TRACE_METHODS, describe: '[default: sidecar] sidecar: strace in a container joining the app\'s pid namespace (any engine, no root); host: strace on this host (root, local Linux engine only)', group: 'Tracing:' },
  'tracer-image': { type: 'string', describe: 'Image holding strace and a static /bin/busybox, used as is (default: built once from --tracer-base)', group: 'Tracing:' },
  'tracer-base': { type: 'string', describe: `[default: ${DEFAULT_TRACER_BASE}] Debian-like base the tracer image is built from (apt-get install strace busybox-static), or "host": assembled from this host's strace and static busybox, no registry needed (also the fallback when the base cannot be had)`, group: 'Tracing:' },
  harden: { choices: ['auto', ...HARDEN_LEVELS] as const, default: 'auto' as const, describe: 'Process settings of the config: restricted (every capability dropped, a numeric non-root UID, seccomp RuntimeDefault: Pod Security "restricted"), drop-caps (every capability dropped but those verification shows it needs, its own user), off (the engine\'s default capabilities); openshift (restricted as an arbitrary UID with GID 0) only when asked; auto: the strongest that verifies', group: 'Hardening:' },
  verify: { type: 'boolean', default: true, describe: 'Run the image again under the config, compare it with the writable run, repair what breaks, leave each mount out once; --no-verify skips it', group: 'Verification:' },
  'verify-with': { choices: VERIFY_FORMATS, describe: '[default: run; compose with --compose, which verifies the override on your file] Which emitted format verification runs: run (the docker run line, through the engine), compose (the compose file, through docker-compose), k8s (the Pod, as Docker runs with kubelet-like emptyDirs)', group: 'Verification:' },
  'max-rounds': { type: 'number', default: 5, describe: 'Repair rounds before verification gives up (exit 7)', group: 'Verification:' },
  'leave-one-out': { type: 'number', default: 8, describe: 'Runs spent leaving one mount out at a time (0: none)', group: 'Verification:' },
  ...ANALYSIS_FLAGS,
  format: { alias: 'f', choices: [...FORMATS, 'all'] as const, default: 'run' as const, describe: 'What to print', group: 'Output:' },
  out: { alias: 'o', type: 'string', describe: 'Write files into this directory instead of stdout', group: 'Output:' },
  ...EMIT_FLAGS,
  ...BASELINE_FLAG,
  json: { type: 'boolean', default: false, describe: 'Print one JSON object {outcome, result | error} for scripts', group: 'Output:' },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'No progress on stderr', group: 'Output:' },
  debug: { type: 'boolean', default: false, describe: 'Show stacks and causes of errors', group: 'Output:' },
} as const;

export type ProfileArgs = ArgumentsCamelCase<InferredOptionTypes<typeof options>> & { image?: string; '--'?: (string | number)[] };

export const profileCommand: CommandModule<object, ProfileArgs> = {
  command: '$0 [image]',
  describe: 'Profile what IMAGE writes and print a read-only config for it (command after --)',
  builder: (y: Argv) =>
    y
      .positional('image', { type: 'string', describe: 'Image reference, e.g. nginx:alpine (or --compose FILE, or --manifest FILE)' })
      .options(options)
      .example('$0 nginx:alpine', 'print a hardened docker run line')
      .example("$0 redis:7 --exec 'redis-cli SET k v' --exec 'redis-cli SAVE'", 'exercise it while profiling')
      .example('$0 --compose compose.yaml --service web -f compose --out deploy', 'a compose service, its dependencies started meanwhile; an override for the file')
      .example('$0 --manifest deploy.yaml --container web --format all --out hardened/', 'patches for a Deployment (Kustomize, Helm values)')
      .example('$0 myjob:1 -e TOKEN --format json -- --once', 'a job with a secret, a command after --') as unknown as Argv<ProfileArgs>,
  handler: async (argv) => {
    const { runProfile } = await import('../handlers/profile.js');
    process.exitCode = await runProfile(argv);
  },
};
