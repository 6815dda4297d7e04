import { availableParallelism } from 'node:os';
import { STRICT_TMPFS_BYTES, chooseLimits } from '../analyze/limits.js';
import { planMounts } from '../analyze/plan-mounts.js';
import type { Mount } from '../model/mount-plan.js';
import type { LimitPolicy, RunUsage } from '../model/usage.js';
import { startMeter } from './usage-meter.js';
import { harvest } from '../harvest/harvest.js';
import { readCompatLinks, readLinksAlong, readTools } from '../harvest/image-links.js';
import { listVolume } from '../harvest/listing.js';
import { takeSnapshot, type Snapshot } from '../harvest/snapshot.js';
import { isUnder, resolveLinks } from '../analyze/paths.js';
import type { Result, ResultProfile, TraceReport } from '../model/result.js';
import { SCHEMA_VERSION } from '../model/result.js';
import type { LaunchSecrets, RunSpec } from '../model/run-spec.js';
import type { Engine } from '../runtime/engine.js';
import { LABEL_MANAGED, createLabels, type SessionIdentity } from '../runtime/labels.js';
import { ownerAlive } from '../runtime/owner.js';
import { throwIfAborted } from './abort.js';
import { CleanupScope } from './cleanup-scope.js';
import { bodyStabilityOf, exercise, restartInPlace, type PageStability } from './exercise.js';
import { WRITABLE, buildCreateSpec, userMountTargets, type LaunchLimits } from './launch-spec.js';
import { waitReady } from './ready.js';
import { traceFacts } from './analyze-trace.js';
import { openImageView } from './image-view.js';
import { mergeFsFacts } from '../harvest/merge-fs-facts.js';
import type { StraceResult } from '../strace/strace-parser.js';
import type { ComposeBase, Observation, RunContext, TraceCapture, Tracer, TracerImage, Verifier } from './ports.js';
import type { Reporter } from './reporter.js';
import { withProbePorts } from './resolve.js';
import { startRun } from './run-start.js';
import { entriesOf, restartCheck, type RetraceStart } from './restart-check.js';
import { restartCandidates } from '../harvest/restart-state.js';
import { redactError, redactor } from './redact.js';
import { createUserVolumes, mountPointFilter } from './user-volumes.js';
import type { HardenRequest, ProcessInfo } from '../model/hardening.js';
import { privilegeFacts, readProcesses, readStartUser, startingHardening } from './privilege-facts.js';

export interface ProfileOptions {
  readonly engine: Engine;
  readonly reporter: Reporter;
  readonly signal: AbortSignal;
  readonly identity: SessionIdentity;
  readonly run: RunSpec;
  readonly secrets: LaunchSecrets;
  readonly limits: LaunchLimits;
  readonly cwd: string;
  /** --compose FILE: verification runs the override on the user's file, in the project of the dependencies. */
  readonly composeBase?: ComposeBase;
  /** --out DIR (absolute), where the compose file will be written: verification runs it from there. */
  readonly outDir?: string;
  readonly toolVersion: string;
  /** The exercise profile the run follows, recorded in the result. */
  readonly profile?: ResultProfile;
  /** --persist / --ephemeral overrides of the analysis. */
  readonly persist: readonly string[];
  /** A profile's persistent paths: kept on a named volume when the run wrote under them (a hint never plans a mount nothing needed). */
  readonly persistHints?: readonly string[];
  readonly ephemeral: readonly string[];
  /** --volume-prefix. */
  readonly volumePrefix?: string;
  /** Seconds between the stop signal and SIGKILL. */
  readonly stopTimeoutSec: number;
  /** Verify the config by running it (undefined: --no-verify). */
  readonly verify?: { readonly maxRounds: number; readonly leaveOneOutBudget: number; readonly verifier: Verifier };
  /** --tracer strace: trace the app live (undefined: the diff and volumes only). */
  readonly tracer?: Tracer;
  /** --harden: the process settings' level (auto: the strongest that verifies). */
  readonly harden?: HardenRequest;
  /** --limits and --headroom: resource limits chosen from the writable run's use (absent: off). */
  readonly resources?: { readonly policy: Exclude<LimitPolicy, 'off'>; readonly headroom?: number };
  /** Lets the caller see what is owned (for the message of a second Ctrl-C). */
  readonly onScope?: (scope: CleanupScope) => void;
}

const EMPTY: Snapshot = { changes: [], listings: new Map() };

/**
 * resolve → launch → ready → exercise → stop → harvest → analyze, with everything created on
 * the engine owned by one scope that is disposed on success, failure, timeout and interrupt.
 */
export async function profileImage(o: ProfileOptions): Promise<Result> {
  const redact = redactor(o.secrets);
  try {
    return await profileUnredacted(o, redact);
  } catch (e) {
    throw redactError(e, redact);
  }
}

async function profileUnredacted(o: ProfileOptions, redact: (t: string) => string): Promise<Result> {
  const { engine, reporter, signal } = o;
  const clock = stageClock(reporter);
  const started = await startRun(o, o.run.image, async (info) => {
    clock('engine', `${info.runtime === 'podman' ? 'Podman' : 'Docker'} ${info.version} at ${info.endpoint}`);
    const orphans = (await engine.listManaged([`${LABEL_MANAGED}=true`])).filter((x) => !ownerAlive(x));
    if (orphans.length > 0) reporter.warn(`${orphans.length} container(s)/volume(s) left by ro-profile runs that are gone; remove them with "ro-profile gc"`);
  });
  await using scope = started.scope;
  const { engineInfo, image } = started;
  const run = withProbePorts(o.run, image);
  // Containers this machine cannot reach are probed through a relay: a missing piece for it is said now, not after a timeout.
  if (!engineInfo.loopback && run.exercise.probe !== false) await engine.prepareTunnel();
  clock('resolve', `${image.ref} (${image.id.slice(7, 19)})${image.user ? ` user ${image.user}` : ''}`);
  throwIfAborted(signal);

  const labels = createLabels(o.identity, 'profile');
  // A missing docker-compose (--verify-with compose) is said before the run, not after it.
  const runtimeVersion = o.verify ? (await o.verify.verifier.runtimeVersion()) || engineInfo.version : '';
  const tracer = o.tracer;
  const tracerImage = tracer ? await tracer.prepare({ engine, engineInfo, reporter, signal, labels: createLabels(o.identity, 'image-view'), scope }) : undefined;
  if (tracerImage && tracer) clock('tracer', `strace by ${tracer.options.method} from ${tracerImage.ref}`);
  await createUserVolumes(engine, run, labels, scope);
  const plain = buildCreateSpec({ image, run, secrets: o.secrets, labels, limits: o.limits, hardening: WRITABLE, cwd: o.cwd });
  const spec = tracerImage && tracer ? tracer.gatedSpec(plain, image, run) : plain;
  const id = await engine.createContainer(spec);
  scope.add(`container ${id.slice(0, 12)}`, () => engine.removeContainer(id));
  let capture: TraceCapture | undefined;
  if (tracerImage && tracer) {
    await tracer.installGate(engine, id, tracerImage);
    await engine.startContainer(id);
    capture = tracer.capture({ engine, scope, targetId: id, tracer: tracerImage, labels: createLabels(o.identity, 'tracer'), workingDir: image.workingDir });
    await capture.attachMain();
  } else {
    await engine.startContainer(id);
  }
  clock('launch', `container ${id.slice(0, 12)} with a writable root${capture ? `, traced by strace (${capture.method})` : ''}`);
  // Measured from its start to just before its stop, restart steps included: the limits come from this.
  const meter = await startMeter({ engine, engineInfo, id });
  scope.add('usage meter', async () => void (await meter.stop()));
  let measured: RunUsage | undefined;

  const ready = await waitReady({ engine, engineInfo, id, image, run, signal });
  clock('ready', ready.readiness === 'job-exit' ? 'finished job (exit 0)' : `by ${ready.readiness}`);

  // Mount targets named through the image's links (-v x:/var/run/app, /var/run -> /run) appear in the diff where the links lead.
  const targets = [...userMountTargets(run), ...image.volumes];
  const targetLinks = await readLinksAlong(engine, id, targets);
  const ignore = mountPointFilter([...targets, ...targets.map((t) => resolveLinks(t, targetLinks)), ...(capture && tracer ? [tracer.gateDir] : [])]);
  let probes: Result['exercise']['probes'] = [];
  let execs: Result['exercise']['execs'] = [];
  let running = EMPTY;
  let procs: { processes: ProcessInfo[]; initPid: number } = { processes: [], initPid: 0 };
  let rawExecs: Result['exercise']['execs'] = [];
  let bodyStability: PageStability[] = [];
  // A profile's restart step ends the trace of the first start; each start's trace is kept.
  const earlierTraces: StraceResult[] = [];
  let firstStartedAtMs: number | undefined;
  const restart = () =>
    restartInPlace({
      engine, engineInfo, id, image, run, signal, stopTimeoutSec: o.stopTimeoutSec,
      beforeStart: async () => {
        firstStartedAtMs ??= (await engine.inspectContainer(id)).startedAtMs;
        if (capture) earlierTraces.push(await capture.finish());
      },
      afterStart: async () => {
        if (!capture || !tracer || !tracerImage) return;
        capture = tracer.capture({ engine, scope, targetId: id, tracer: tracerImage, labels: createLabels(o.identity, 'tracer'), workingDir: image.workingDir });
        await capture.attachMain();
      },
    });
  if (ready.readiness !== 'job-exit') {
    const runStep = (command: string, timeoutMs: number) => tracer!.stepRunner(engine, id, capture!)(command, timeoutMs);
    ({ probes, execs } = await exercise({ engine, engineInfo, id, imageRef: image.ref, run, reporter, signal, restart, ...(capture ? { runStep } : {}) }));
    rawExecs = execs;
    // What verification may hold a hardened run's pages to: ask again while it still runs.
    if (o.verify !== undefined) bodyStability = await bodyStabilityOf({ engine, engineInfo, id, signal }, probes);
    execs = execs.map((x) => ({ ...x, command: redact(x.command), output: redact(x.output) }));
    clock('exercise', describeExercise(probes, execs));
    // The diff taken while it runs catches files removed at shutdown (pid files, sockets).
    running = await takeSnapshot(engine, id, await engine.diff(id), ignore);
    // Who its processes run as: the user --harden runs it as, and the capabilities it switches users with.
    procs = await readProcesses(engine, id);
    procs = { ...procs, processes: procs.processes.map((p) => ({ ...p, command: redact(p.command) })) };
    measured = await meter.stop();
    await engine.stopContainer(id, o.stopTimeoutSec);
  } else {
    measured = await meter.stop();
  }
  // One look at the stopped container: its exit code, its volumes and when it started.
  const final = await engine.inspectContainer(id);
  if (ready.readiness !== 'job-exit') clock('stop', `${image.stopSignal}, exit code ${final.exitCode}`);
  const stopped = await takeSnapshot(engine, id, await engine.diff(id), ignore, [...o.persist, ...o.ephemeral, ...(o.persistHints ?? [])]);
  // Writes into volumes never show in the diff: read the declared ones, newer files are the app's.
  const volumes = [...final.volumes].sort((a, b) => (a.destination < b.destination ? -1 : 1));
  const declared = volumes.filter((v) => image.volumes.includes(v.destination));
  const volumeListings = [];
  for (const v of declared) volumeListings.push(await listVolume(engine, id, v.destination));
  const compat = await readCompatLinks(engine, id);
  const symlinks = [...compat, ...targetLinks.filter((l) => !compat.some((c) => c.path === l.path))];
  const tools = await readTools(engine, id);
  // Files in the volumes newer than the first start are the app's (a restart step started it again).
  const h = harvest({ running, stopped, ignore, volumes: volumeListings, startedAtMs: firstStartedAtMs ?? final.startedAtMs, symlinks, tools });
  clock('harvest', `${h.changes.length} changes, ${h.events.length} write events`);

  let events = h.events;
  let fs = h.fs;
  let trace: TraceReport | undefined;
  if (capture && tracerImage && tracer) {
    const traced = tracer.merge([...earlierTraces, await capture.finish()]);
    const view = await openImageView(engine, image.id, createLabels(o.identity, 'image-view'), scope);
    const t = await traceFacts(engine, view, traced.events, ignore);
    events = [...h.events, ...t.events];
    fs = mergeFsFacts(h.fs, t.fs);
    trace = { tracer: 'strace', method: capture.method, image: tracerImage.ref, steps: run.exercise.execs.length, lines: traced.stats.lines, events: t.events.length };
    clock('trace', `${traced.stats.lines} strace lines, ${t.events.length} write events`);
  }

  const hinted = (o.persistHints ?? []).filter((h) => !o.persist.includes(h) && events.some((e) => isUnder(e.realPath, h)));
  // --limits strict: tmpfs sizes closer to what was written, since Docker's memory limit holds each one whole.
  const overrides = { persist: [...o.persist, ...hinted], ephemeral: [...o.ephemeral], ...(o.volumePrefix !== undefined ? { volumePrefix: o.volumePrefix } : {}), ...(o.resources?.policy === 'strict' ? { minTmpfsBytes: STRICT_TMPFS_BYTES } : {}) };
  let analysis = planMounts({ image, events, fs, userMounts: userMountTargets(run), ...overrides });
  const facts = privilegeFacts(procs, await readStartUser(engine, id, run.user ?? image.user), probes, events);
  // Files the app kept outside the scratch trees, planned as tmpfs: does it take them up again when it starts next?
  const candidates = ready.readiness === 'job-exit' ? new Map<string, string[]>() : restartCandidates(analysis.plan.mounts, events, entriesOf(stopped), o.ephemeral);
  clock('analyze', `${analysis.plan.mounts.length} mount${analysis.plan.mounts.length === 1 ? '' : 's'}, ${analysis.findings.length} finding${analysis.findings.length === 1 ? '' : 's'}`);

  const steps = run.exercise.steps?.map((s) => (s.kind === 'exec' ? { ...s, command: redact(s.command) } : s));
  const savedRun: RunSpec = { ...run, exercise: { ...run.exercise, execs: run.exercise.execs.map(redact), ...(steps ? { steps } : {}) } };
  let result: Result = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'ro-profile', version: o.toolVersion },
    engine: { runtime: engineInfo.runtime, version: engineInfo.version, apiVersion: engineInfo.apiVersion },
    image,
    run: savedRun,
    ...(o.profile ? { profile: o.profile } : {}),
    exercise: {
      readiness: ready.readiness,
      readyAfterMs: ready.readyAfterMs,
      probes,
      execs,
      ...(ready.jobExitCode !== undefined ? { jobExitCode: ready.jobExitCode } : {}),
      ...(trace ? { trace } : {}),
    },
    changes: h.changes,
    volumes,
    fs,
    events,
    analysis: overrides,
    plan: analysis.plan,
    findings: analysis.findings,
    verification: [],
    ...usageAndLimits(measured, analysis.plan.mounts, o.resources, engineInfo.local),
  };
  // The writable run, as the hardened runs will be compared with it: read before the restart check starts it again.
  const logs = o.verify !== undefined ? await engine.logs(id) : { stdout: '', stderr: '' };
  const fileLogLines = o.verify !== undefined ? await o.verify.verifier.readStoppedLogFiles(engine, id, result) : [];

  if (candidates.size > 0) {
    const retraceWith = (t: Tracer, tracerImg: TracerImage): RetraceStart => async (target) => {
      const c = t.capture({ engine, scope, targetId: target, tracer: tracerImg, labels: createLabels(o.identity, 'tracer'), workingDir: image.workingDir });
      await c.attachMain();
      return c;
    };
    const state = await restartCheck({
      engine, engineInfo, id, image, run, signal, scope, stopTimeoutSec: o.stopTimeoutSec, candidates, running, stopped,
      // The gate holds the second start too, until a tracer of its own attaches (its events are not the profile's).
      ...(tracerImage && tracer ? { retrace: retraceWith(tracer, tracerImage) } : {}),
    });
    clock('restart', state.size > 0 ? `second start of the writable run: ${[...state.keys()].join(', ')} carr${state.size === 1 ? 'ies' : 'y'} state from one start to the next` : `second start of the writable run: nothing in ${[...candidates.keys()].join(', ')} taken up again`);
    if (state.size > 0) {
      const analysisOpts = { ...overrides, state: Object.fromEntries(state) };
      analysis = planMounts({ image, events, fs, userMounts: userMountTargets(run), ...analysisOpts });
      result = { ...result, analysis: analysisOpts, plan: analysis.plan, findings: analysis.findings, ...usageAndLimits(measured, analysis.plan.mounts, o.resources, engineInfo.local) };
    }
  }

  const blocked = result.findings.some((f) => f.kind === 'system-write' && f.severity === 'error');
  const start = startingHardening(o.harden ?? 'auto', facts, result.plan.mounts, o.verify !== undefined && !blocked);
  result = { ...result, hardening: start.hardening, plan: { mounts: start.mounts } };

  // A required write into a system tree cannot be mounted (exit 8): nothing to verify.
  if (o.verify === undefined || blocked) return result;

  const baseline: Observation = {
    ready: true,
    ...(ready.jobExitCode !== undefined ? { jobExitCode: ready.jobExitCode } : {}),
    runningAtEnd: ready.readiness !== 'job-exit',
    probes,
    execs: rawExecs,
    logLines: [...linesOf(logs.stdout), ...linesOf(logs.stderr)],
    fileLogLines,
    bodyStability,
  };
  const ctx: RunContext = { engine, engineInfo, image, run, secrets: o.secrets, limits: o.limits, cwd: o.cwd, labels: createLabels(o.identity, 'verify'), stopTimeoutSec: o.stopTimeoutSec, signal, scope,
    // Traced like the writable run: what a hardened run is refused names its path exactly.
    ...(tracerImage && tracer ? { tracing: { method: tracer.options.method, tracer: tracerImage, labels: createLabels(o.identity, 'tracer') } } : {}),
    ...(o.outDir !== undefined ? { composeDir: o.outDir } : {}),
    ...(o.composeBase !== undefined ? { composeBase: o.composeBase } : {}),
  };
  const verifier = o.verify.verifier;
  const verifyOptions = { ctx, reporter, baseline, maxRounds: o.verify.maxRounds, leaveOneOutBudget: o.verify.leaveOneOutBudget, viewLabels: createLabels(o.identity, 'verify'), runtimeVersion };
  const verified = await verifier.verify(result, verifyOptions);
  clock('verify', verified.passed ? 'the config runs as the writable run did' : 'the config does NOT run as the writable run did');
  if (!verified.passed) return verifier.redact(verified.result, redact);
  // Then the strongest --harden level the verified mounts run under.
  const hardened = await verifier.harden(verified.result, facts, verifyOptions);
  const hs = hardened.result.hardening;
  clock('harden', `${hs?.level ?? 'off'}${hs && hs.capAdd.length > 0 ? `, keeping ${hs.capAdd.map((c) => c.name).join(', ')}` : ''}${hs?.user ? `, as ${hs.user.uid}:${hs.user.gid}` : ''}${hardened.passed ? '' : ' (the level asked for does NOT run: not verified)'}`);
  return verifier.redact(hardened.result, redact);
}

/**
 * The writable run's figures with the bytes it wrote per planned mount, and the limits chosen
 * from them. A job that ended before one reading leaves both out (the report says so).
 */
function usageAndLimits(measured: RunUsage | undefined, mounts: readonly Mount[], resources: ProfileOptions['resources'], local: boolean): Pick<Result, 'usage' | 'limits'> {
  if (!measured) return {};
  const written = mounts.map((m) => ({ path: m.path, peakBytes: m.observedBytes, source: 'written' as const }));
  const profile: RunUsage = { ...measured, mounts: [...measured.mounts, ...written] };
  if (!resources) return { usage: { profile } };
  // The CPU limit never above the host's own CPUs (when this is the engine's host).
  const hostCpus = local ? availableParallelism() : undefined;
  return { usage: { profile }, limits: chooseLimits({ policy: resources.policy, ...(resources.headroom !== undefined ? { headroom: resources.headroom } : {}), usage: measured, mounts, ...(hostCpus !== undefined ? { hostCpus } : {}) }) };
}

/** Output lines, as verification compares them (verify/observe.ts reads a run's output the same way). */
function linesOf(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
}

function describeExercise(probes: Result['exercise']['probes'], execs: Result['exercise']['execs']): string {
  const parts = probes.map((p) => (p.kind === 'http' ? `:${p.port} HTTP ${p.status}` : `:${p.port} TCP ${p.ok ? 'ok' : p.error}`));
  if (execs.length > 0) parts.push(`${execs.length} step${execs.length === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing to probe';
}

function stageClock(reporter: Reporter): (stage: string, detail: string) => void {
  let last = Date.now();
  return (stage, detail) => {
    const now = Date.now();
    reporter.stage(stage, detail, now - last);
    last = now;
  };
}
