import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { RoProfileError } from '../../errors.js';
import type { Result } from '../../model/result.js';
import { createLabels } from '../../runtime/labels.js';
import { profileImage } from '../../pipeline/profile.js';
import { CleanupScope } from '../../pipeline/cleanup-scope.js';
import { readComposeSource, startComposeSource } from '../../pipeline/compose-source-run.js';
import { composeRunFlags, composeSummary, userFacingResult } from '../compose-source.js';
import { EXIT } from '../exit-codes.js';
import { absolutePaths, emitOptionsOf, volumePrefixOf } from '../shared-flags.js';
import { redactStderr } from '../redacted-stderr.js';
import { redactor } from '../../pipeline/redact.js';
import type { ResultDiff } from '../../compare/diff-model.js';
import { compareWithBaseline, readBaseline, reportBaseline, widenedError } from '../baseline.js';
import { reportError, writeResult } from '../output.js';
import { buildRunSpec } from '../passthrough.js';
import { loadManifest, writeWorkloadOutputs } from '../manifest-source.js';
import type { PickedContainer } from '../../source/manifest.js';
import { applyProfile, selectProfile } from '../profile-selection.js';
import { cannotRunReadOnly, checkTracerFlags, exerciseOf, pipelineOptionsOf, profileLine, runOf } from '../profile-flags.js';
import { stderrReporter } from '../stderr-reporter.js';
import { toolVersion } from '../version.js';
import { verificationError, verificationExit } from '../verification-exit.js';
import { workloadLauncher } from '../../verify/workload-pod.js';
import { verifierFor } from '../../verify/verifier.js';
import type { ProfileArgs } from '../commands/profile.js';
import { openRunSession } from '../session.js';
import { sweepLeftovers } from '../sweep.js';

/** `ro-profile IMAGE` (or --compose, --manifest): profiles, verifies, prints the config, returns the exit code. */
export async function runProfile(argv: ProfileArgs): Promise<number> {
  const out: { json: boolean; debug: boolean; redact?: (t: string) => string } = { json: argv.json, debug: argv.debug };
  let restoreStderr = () => {};
  using session = openRunSession({ interrupted: 'Interrupted; everything the run created was removed' });
  const { identity, signal, engine } = session;
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
    const compose = argv.compose !== undefined ? await readComposeSource(argv.compose, argv.service, identity.sessionId, signal) : undefined;
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
      ? await startComposeSource(compose, { engine, reporter, scope: composeScope, labels: createLabels(identity, 'compose'), signal, timeoutMs: run.exercise.timeoutMs })
      : undefined;
    if (applied) reporter.stage('profile', profileLine(applied.profile));
    const verifyWith = argv.verifyWith ?? (compose ? 'compose' : 'run');
    const pipeline = pipelineOptionsOf({ ...argv, verifyWith });
    const result = await profileImage({
      engine,
      reporter,
      signal,
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
      ...(pipeline.verify && manifest && verifyWith === 'k8s' ? { verify: { ...pipeline.verify, verifier: verifierFor(workloadLauncher(manifest.picked, argv.k8sMemory)) } } : {}),
      onScope: session.onScope,
    });
    session.throwIfInterrupted();
    // The result as the user sees it: for a compose service, the file's names, not the run's.
    const final = compose ? userFacingResult(result, compose, cliFlags) : result;
    const diff = compareWithBaseline(baseline, argv.baseline, final, image);
    if (!compose) return finish(final, argv, diff, manifest?.picked);
    // The override is for the file's service; the base keeps its image, env and volumes.
    return finish(final, { ...argv, service: compose.source.service, composeOverride: true }, diff);
  } catch (e) {
    return reportError(session.failure(e), out);
  } finally {
    await sweepLeftovers(session.engine, session.identity);
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
