import { HARDEN_LEVELS } from '../../model/hardening.js';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule, InferredOptionTypes } from 'yargs';
import { RoProfileError } from '../../errors.js';
import type { Result } from '../../model/result.js';
import { FORMATS } from '../../emit/emit.js';
import { DockerEngine } from '../../runtime/docker-engine.js';
import { createLabels, currentIdentity } from '../../runtime/labels.js';
import { profileImage } from '../../pipeline/profile.js';
import { LIMIT_POLICIES } from '../../model/usage.js';
import { CleanupScope } from '../../pipeline/cleanup-scope.js';
import { readComposeSource, startComposeSource } from '../../pipeline/compose-source-run.js';
import { composeRunFlags, composeSummary, userFacingResult } from '../compose-source.js';
import { EXIT } from '../exit-codes.js';
import { ANALYSIS_FLAGS, EMIT_FLAGS, absolutePaths, emitOptionsOf, volumePrefixOf } from '../shared-flags.js';
import { redactStderr } from '../redacted-stderr.js';
import { redactor } from '../../pipeline/redact.js';
import type { ResultDiff } from '../../compare/diff-model.js';
import { BASELINE_FLAG, compareWithBaseline, readBaseline, reportBaseline, widenedError } from '../baseline.js';
import { reportError, writeResult } from '../output.js';
import { buildRunSpec } from '../passthrough.js';
import { loadManifest, writeWorkloadOutputs } from '../manifest-source.js';
import type { PickedContainer } from '../../source/manifest.js';
import { applyProfile, selectProfile } from '../profile-selection.js';
import { cannotRunReadOnly, checkTracerFlags, exerciseOf, pipelineOptionsOf, profileLine, runOf } from '../profile-flags.js';
import { installRunSignals } from '../signals.js';
import { stderrReporter } from '../stderr-reporter.js';
import { toolVersion } from '../version.js';
import { DEFAULT_TRACER_BASE } from '../../trace/tracer-image.js';
import { verificationError, verificationExit } from '../verification-exit.js';
import { VERIFY_FORMATS } from '../../verify/launchers.js';
import { workloadLauncher } from '../../verify/workload-pod.js';
import { TRACE_METHODS } from '../../trace/tracer.js';

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

type ProfileArgs = ArgumentsCamelCase<InferredOptionTypes<typeof options>> & { image?: string; '--'?: (string | number)[] };

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
    process.exitCode = await runProfile(argv);
  },
};

async function runProfile(argv: ProfileArgs): Promise<number> {
  const out: { json: boolean; debug: boolean; redact?: (t: string) => string } = { json: argv.json, debug: argv.debug };
  let restoreStderr = () => {};
  const controller = new AbortController();
  let scope: CleanupScope | undefined;
  const identity = currentIdentity();
  const uninstall = installRunSignals(controller, identity, () => scope);
  try {
    if (argv.format === 'all' && argv.out === undefined) {
      throw new RoProfileError('USAGE', '"--format all" needs "--out DIR"', { hint: 'Add --out DIR, or pick one format.' });
    }
    checkTracerFlags(argv);
    const sources = [argv.image !== undefined ? `IMAGE ("${argv.image}")` : undefined, argv.compose !== undefined ? '--compose' : undefined, argv.manifest !== undefined ? '--manifest' : undefined].filter((x) => x !== undefined);
    if (sources.length !== 1) {
      throw new RoProfileError('USAGE', sources.length === 0 ? 'give an IMAGE to profile, or --compose FILE, or --manifest FILE' : `give one of IMAGE, --compose FILE and --manifest FILE, not ${sources.join(' and ')}`, {
        hint: 'e.g. ro-profile nginx:alpine, ro-profile --compose compose.yaml --service web, or ro-profile --manifest deploy.yaml [--container NAME]',
      });
    }
    if (argv.container !== undefined && argv.manifest === undefined) throw new RoProfileError('USAGE', '"--container" only applies with "--manifest FILE"', { hint: 'Add --manifest FILE, or drop --container.' });
    // Read as compose reads it, before anything runs: a file compose refuses is a usage error.
    const compose = argv.compose !== undefined ? await readComposeSource(argv.compose, argv.service, identity.sessionId, controller.signal) : undefined;
    if (compose && compose.source.ignored.length > 0) process.stderr.write(`ro-profile: warning: the profiling run does not apply the service's ${compose.source.ignored.join(', ')}; the base file keeps ${compose.source.ignored.length > 1 ? 'them' : 'it'} (readiness: the image's healthcheck, else its ports)\n`);
    // Read before anything runs: a bad manifest or profile is a usage error (exit 2) with file:line:column.
    const manifest = argv.manifest !== undefined ? loadManifest(argv.manifest, argv.container, argv) : undefined;
    const image = compose?.userImage ?? manifest?.run.image ?? argv.image!;
    const baseline = readBaseline(argv.baseline);
    const dashdash = (argv['--'] ?? []).map(String);
    const picked = selectProfile(image, argv.profile as string | false | undefined);
    const exercise = exerciseOf(argv);
    const cliFlags = {
      // The manifest's first: the flags given alongside win.
      env: [...(manifest?.run.env ?? []), ...argv.env],
      envFile: argv.envFile,
      user: argv.user ?? manifest?.run.user,
      entrypoint: argv.entrypoint ?? manifest?.run.entrypoint,
      volume: argv.volume,
      mount: [...(manifest?.run.mounts ?? []), ...argv.mount],
      publish: argv.publish,
      network: argv.network,
      command: dashdash.length > 0 || !manifest ? dashdash : [...manifest.run.command],
    };
    const built = buildRunSpec(compose ? composeRunFlags(compose, image, cliFlags) : { image, ...cliFlags }, exercise, process.env);
    const { secrets } = built;
    const persist = absolutePaths('persist', argv.persist);
    const ephemeral = absolutePaths('ephemeral', argv.ephemeral);
    const applied = picked ? applyProfile(picked, built.run, secrets, { user: argv.user !== undefined || manifest?.run.user !== undefined, command: dashdash.length > 0 || (manifest !== undefined && (manifest.run.entrypoint !== undefined || manifest.run.command.length > 0)), timeout: argv.timeout !== undefined }, { persist, ephemeral }) : undefined;
    const profiled = runOf(built.run, applied);
    // The workload's readiness (its readinessProbe, else its ports), unless an exercise profile knows the image's own.
    const ready = manifest?.run.ready;
    const run = ready && !profiled.exercise.ready ? { ...profiled, exercise: { ...profiled.exercise, ready } } : profiled;
    // From here on, no value of -e or --env-file reaches stderr, whoever prints.
    out.redact = redactor(secrets);
    restoreStderr = redactStderr(out.redact);
    const reporter = stderrReporter({ quiet: argv.quiet });
    if (compose) reporter.stage('compose', composeSummary(compose));
    if (manifest) reporter.stage('manifest', `${manifest.picked.workload.kind} "${manifest.picked.workload.name}", container "${String(manifest.picked.container.name)}" (${manifest.picked.workload.at})`);
    for (const w of manifest?.run.warnings ?? []) reporter.warn(w);
    // The dependencies outlive profileImage's own scope: started before it, taken down after it.
    await using composeScope = new CleanupScope(reporter);
    const started = compose
      ? await startComposeSource(compose, { engine: new DockerEngine(undefined, { signal: controller.signal }), reporter, scope: composeScope, labels: createLabels(identity, 'compose'), signal: controller.signal, timeoutMs: run.exercise.timeoutMs })
      : undefined;
    if (applied) reporter.stage('profile', profileLine(applied.profile));
    const verifyWith = argv.verifyWith ?? (compose ? 'compose' : 'run');
    const pipeline = pipelineOptionsOf({ ...argv, verifyWith });
    const result = await profileImage({
      engine: new DockerEngine(undefined, { signal: controller.signal }),
      reporter,
      signal: controller.signal,
      identity,
      run: started ? { ...run, image: started.image } : run,
      ...(started ? { composeBase: started.base } : {}),
      secrets,
      cwd: process.cwd(),
      // Made now: verification runs the compose file from there, as the user will.
      ...(argv.out !== undefined ? { outDir: (mkdirSync(resolve(argv.out), { recursive: true }), resolve(argv.out)) } : {}),
      toolVersion: toolVersion(),
      ...(applied ? { profile: applied.profile } : {}),
      persist,
      ...(applied ? { persistHints: applied.persistHints } : {}),
      ephemeral,
      ...volumePrefixOf(argv.volumePrefix),
      ...pipeline,
      // Under k8s, a manifest's container is verified as the user's own workload, patched.
      ...(pipeline.verify && manifest && verifyWith === 'k8s' ? { verify: { ...pipeline.verify, launcher: workloadLauncher(manifest.picked, argv.k8sMemory) } } : {}),
      onScope: (s) => (scope = s),
    });
    if (controller.signal.aborted) throw new RoProfileError('INTERRUPTED', 'Interrupted; everything the run created was removed');
    // The result as the user sees it: for a compose service, the file's names, not the run's.
    const final = compose ? userFacingResult(result, compose, cliFlags) : result;
    const diff = compareWithBaseline(baseline, argv.baseline, final, image);
    if (!compose) return finish(final, argv, diff, manifest?.picked);
    // The override is for the file's service; the base keeps its image, env and volumes.
    return finish(final, { ...argv, service: compose.source.service, composeOverride: true }, diff);
  } catch (e) {
    if (controller.signal.aborted) {
      return reportError(new RoProfileError('INTERRUPTED', 'Interrupted; everything the run created was removed'), out);
    }
    return reportError(e, out);
  } finally {
    uninstall();
    restoreStderr();
  }
}

/** Prints the artifact (a manifest's container: the patches for its workload); a required write into a system tree still prints, then exits 8; a config wider than --baseline's, 10. */
function finish(result: Result, argv: ProfileArgs, diff: ResultDiff | undefined, workload?: PickedContainer): number {
  const blocking = result.findings.filter((f) => f.kind === 'system-write' && f.severity === 'error');
  const failed = result.verification.at(-1)?.result === 'fail';
  if (argv.json && (blocking.length > 0 || failed)) {
    const err = blocking.length > 0 ? cannotRunReadOnly(blocking.map((f) => f.path)) : verificationError(result);
    process.stdout.write(`${JSON.stringify({ outcome: 'error', result, error: { code: err.code, message: err.message, hint: err.hint } })}\n`);
    process.stderr.write(`ro-profile: ${err.message}\nhint: ${err.hint}\n`);
    return reportBaseline(diff, blocking.length > 0 ? EXIT.cannotRunReadOnly : EXIT.verify);
  }
  const printed = workload ? writeWorkloadOutputs(result, workload, { manifest: argv.manifest!, format: argv.format, out: argv.out, json: argv.json, memory: argv.k8sMemory }) : false;
  if (!printed) writeResult(result, { format: argv.format, out: argv.out, json: argv.json, emit: { ...emitOptionsOf(argv), ...(diff ? { baseline: diff } : {}) }, failure: diff && widenedError(diff) });
  if (blocking.length > 0) {
    const err = cannotRunReadOnly(blocking.map((f) => f.path));
    process.stderr.write(`ro-profile: ${err.message}\nhint: ${err.hint}\n`);
    return reportBaseline(diff, EXIT.cannotRunReadOnly);
  }
  return reportBaseline(diff, verificationExit(result));
}
