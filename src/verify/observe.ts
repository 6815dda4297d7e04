import { isRoProfileError, messageOf } from '../errors.js';
import type { ExecResult, ProbeResult } from '../model/result.js';
import type { Engine } from '../runtime/engine.js';
import { bodyStabilityOf, exercise, restartInPlace } from '../pipeline/exercise.js';
import { WRITABLE, buildCreateSpec } from '../pipeline/launch-spec.js';
import { waitReady } from '../pipeline/ready.js';
import { silentReporter } from '../pipeline/reporter.js';
import type { WriteEvent } from '../model/write-event.js';
import { startMeter } from '../pipeline/usage-meter.js';
import { traceStart, type TracedStart, type VerifyTracing } from './traced-runs.js';
import type { Observation, RunContext } from '../pipeline/ports.js';
export type { ComposeBase, Observation, RunContext } from '../pipeline/ports.js';

/** The writable run: the image with the profile's pass-through and no hardening. */
export async function observeWritable(ctx: RunContext, logFiles: readonly string[]): Promise<Observation> {
  const { engine } = ctx;
  const id = await engine.createContainer(buildCreateSpec({ image: ctx.image, run: ctx.run, secrets: ctx.secrets, labels: ctx.labels, limits: ctx.limits, hardening: WRITABLE, cwd: ctx.cwd }));
  return observeContainer(ctx, { id, dispose: () => engine.removeContainer(id) }, { restart: false, logFiles, repeatProbes: true });
}

/**
 * Runs a created container with the profile's exercise and records what it showed; with
 * `restart`, starts the stopped container again (Docker gives it fresh tmpfs mounts and the same
 * volumes; an emptyDir-like volume keeps its content, as a kubelet's does) and records that too.
 * What the launch created is disposed of, on every path.
 */
export async function observeContainer(ctx: RunContext, launched: { readonly id: string; readonly gated?: boolean; dispose(): Promise<void> }, options: { readonly restart: boolean; readonly logFiles: readonly string[]; readonly repeatProbes?: boolean; readonly tmpfs?: readonly string[]; readonly failFast?: boolean }): Promise<Observation> {
  const { id } = launched;
  let removed = false;
  const remove = async () => {
    if (!removed) await launched.dispose();
    removed = true;
  };
  ctx.scope.add(`container ${id.slice(0, 12)}`, remove);
  try {
    const traced = launched.gated === true ? ctx.tracing : undefined;
    const first = await oneStart(ctx, id, options.logFiles, false, true, options.repeatProbes === true, traced, options.tmpfs ?? [], options.failFast === true);
    if (!options.restart || !first.ready || first.jobExitCode !== undefined) return first;
    // Failing fast, a first start whose steps already failed needs no second.
    if (first.failedFast === true) return first;
    // A second boot on the same mounts: readiness and probes; exec steps are not repeated
    // (they need not be idempotent: a second `create table` fails on the data of the first).
    const restart = await oneStart(ctx, id, options.logFiles, true, false, false, traced, options.tmpfs ?? []);
    return { ...first, restart };
  } finally {
    await remove();
  }
}

async function oneStart(ctx: RunContext, id: string, logFiles: readonly string[], again: boolean, withExecs: boolean, repeatProbes: boolean, tracing: VerifyTracing | undefined, tmpfs: readonly string[], failFast = false): Promise<Observation> {
  const { engine } = ctx;
  try {
    await engine.startContainer(id);
  } catch (e) {
    // The engine refused to start it under this config (a mount it cannot make): a difference, not a crash.
    if (isRoProfileError(e) && e.code === 'CONTAINER_FAILED') return { ready: false, failure: e.message, runningAtEnd: false, probes: [], execs: [], logLines: [], fileLogLines: [] };
    throw e;
  }
  // A restart's own output is what it printed since it started (the engine's clock), whatever the first start printed.
  const sinceMs = again ? (await engine.inspectContainer(id)).startedAtMs : undefined;
  const attach = () => (tracing ? traceStart({ engine, scope: ctx.scope, id, tracing, workingDir: ctx.image.workingDir }) : Promise.resolve(undefined));
  let traced: TracedStart | undefined = await attach();
  // Started alongside the readiness wait, as in the profiling run: its first reading gates nothing.
  const meterP = startMeter({ engine, engineInfo: ctx.engineInfo, id, tmpfs });
  meterP.catch(() => undefined);
  // A profile's restart step: each start is traced apart, its refusals kept.
  const earlierRefused: WriteEvent[] = [];
  const restart = () =>
    restartInPlace({
      engine, engineInfo: ctx.engineInfo, id, image: ctx.image, run: ctx.run, signal: ctx.signal, stopTimeoutSec: ctx.stopTimeoutSec,
      beforeStart: async () => {
        if (traced) earlierRefused.push(...(await traced.refused()));
        traced = undefined;
      },
      afterStart: async () => {
        traced = await attach();
      },
    });
  let ready = false;
  let failure: string | undefined;
  let jobExitCode: number | undefined;
  let probes: ProbeResult[] = [];
  let execs: ExecResult[] = [];
  let runningAtEnd = false;
  let fileLogLines: string[] = [];
  let bodyStability: Observation['bodyStability'];
  let failedFast: true | undefined;
  let meter: Awaited<typeof meterP> | undefined;
  try {
    try {
      const r = await waitReady({ engine, engineInfo: ctx.engineInfo, id, image: ctx.image, run: ctx.run, signal: ctx.signal });
      ready = true;
      jobExitCode = r.jobExitCode;
    } catch (e) {
      if (!isRoProfileError(e) || (e.code !== 'CONTAINER_FAILED' && e.code !== 'NOT_READY')) throw e;
      failure = e.message;
      const exit = e.details['exitCode'];
      if (exit !== undefined) jobExitCode = Number(exit);
    }
    meter = await meterP;
    if (ready && jobExitCode === undefined) {
      const run = withExecs ? ctx.run : { ...ctx.run, exercise: { ...ctx.run.exercise, execs: [] } };
      ({ probes, execs, failedFast } = await exercise({ engine, engineInfo: ctx.engineInfo, id, imageRef: ctx.image.ref, run, reporter: silentReporter, signal: ctx.signal, tolerant: true, failFast, restart, ...(traced ? { runStep: (command: string, timeoutMs: number) => traced!.runStep(command, timeoutMs) } : {}) }));
      if (repeatProbes) bodyStability = await bodyStabilityOf({ engine, engineInfo: ctx.engineInfo, id, signal: ctx.signal }, probes);
      let state;
      [fileLogLines, state] = await Promise.all([readLogFiles(engine, id, logFiles), engine.inspectContainer(id)]);
      runningAtEnd = state.running;
      await meter.stop();
      await engine.stopContainer(id, ctx.stopTimeoutSec);
    } else if ((await engine.inspectContainer(id)).running) {
      await meter.stop();
      await engine.stopContainer(id, ctx.stopTimeoutSec);
    }
  } finally {
    // On every path: a reading timer must not outlive the run.
    await (await meterP).stop();
  }
  const usage = await (await meterP).stop();
  // Read together from the stopped container.
  const [final, refusedNow, logs] = await Promise.all([engine.inspectContainer(id), tracing && traced ? traced.refused() : Promise.resolve([]), engine.logs(id, sinceMs !== undefined ? { sinceMs } : {})]);
  const oomKilled = final.oomKilled;
  const refused = tracing ? [...earlierRefused, ...refusedNow] : undefined;
  const logLines = linesOf(`${logs.stdout}${logs.stdout.endsWith('\n') || logs.stdout === '' ? '' : '\n'}${logs.stderr}`);
  return {
    ready,
    ...(failure !== undefined ? { failure } : {}),
    ...(jobExitCode !== undefined ? { jobExitCode } : {}),
    runningAtEnd,
    probes,
    execs,
    logLines,
    fileLogLines,
    ...(bodyStability ? { bodyStability } : {}),
    ...(refused ? { refused } : {}),
    ...(usage ? { usage } : {}),
    ...(oomKilled ? { oomKilled } : {}),
    ...(failedFast ? { failedFast } : {}),
  };
}

/** The app's own log files inside its mounts, read with the image's `cat` (tmpfs content is not in the archive API). */
export async function readLogFiles(engine: Engine, id: string, files: readonly string[]): Promise<string[]> {
  // One exec per file, all at once; the lines kept in the files' order.
  const read = await Promise.all(files.map((f) => engine.exec(id, ['cat', f], {}).catch((e: unknown) => ({ exitCode: -1, stdout: '', stderr: messageOf(e) }))));
  return files.flatMap((f, i) => (read[i]!.exitCode === 0 ? linesOf(read[i]!.stdout).map((l) => `${f}: ${l}`) : []));
}

export function linesOf(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
}
