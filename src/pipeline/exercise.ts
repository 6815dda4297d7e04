import { RoProfileError, isRoProfileError } from '../errors.js';
import type { ExerciseStep } from '../model/exercise-profile.js';
import type { ExecResult, ProbeResult } from '../model/result.js';
import { DEFAULT_EXEC_TIMEOUT_MS, type RunSpec } from '../model/run-spec.js';

/** How long a hardened run's HTTP or TCP step may wait for an answer the writable run gave. */
export const HARDENED_REQUEST_TIMEOUT_MS = 10_000;
import type { Engine, EngineInfo, ExecOutcome } from '../runtime/engine.js';
import { sleep, throwIfAborted } from './abort.js';
import { endpointFor } from './endpoints.js';
import { waitReady, type ReadyOptions } from './ready.js';
import { httpProbe, tcpProbe } from './probes.js';
import { httpStep, stepLabel, tcpStep } from './steps.js';
import type { Reporter } from './reporter.js';

const MAX_OUTPUT = 4096;

/** Probes every port (HTTP where it answers HTTP, TCP otherwise), then runs each --exec step. */
export async function exercise(options: {
  readonly engine: Engine;
  readonly engineInfo: EngineInfo;
  readonly id: string;
  readonly imageRef: string;
  readonly run: RunSpec;
  readonly reporter: Reporter;
  readonly signal: AbortSignal;
  /** Runs one --exec command (`sh -c COMMAND` in the container) within timeoutMs; a traced run gates it. */
  readonly runStep?: (command: string, timeoutMs: number) => Promise<ExecOutcome>;
  /** Record a failing step instead of stopping there (a hardened run is compared, not judged). */
  readonly tolerant?: boolean;
  /** With tolerant: stop at the first step that fails (a --harden trial needs only whether, and the first evidence). */
  readonly failFast?: boolean;
  /**
   * A profile's restart step: stops the container, starts it again (re-attaching a tracer where
   * the run is traced) and waits until it is ready; says by what, or throws NOT_READY or
   * CONTAINER_FAILED. Whoever owns the container knows how (restartInPlace for a plain one).
   */
  readonly restart?: () => Promise<string>;
}): Promise<{ probes: ProbeResult[]; execs: ExecResult[]; failedFast?: true }> {
  const { engine, id, run, signal } = options;
  // --no-probe sends nothing of its own; a profile's steps still talk to their ports.
  const probes = await probeAll({ engine, engineInfo: options.engineInfo, id, ports: run.exercise.probe === false ? [] : run.exercise.probePorts, signal });
  const execs: ExecResult[] = [];
  const timeoutMs = run.exercise.execTimeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  // The profile's steps first, then each --exec (an exec step that must exit 0).
  const fromProfile = run.exercise.steps ?? [];
  const steps: readonly ExerciseStep[] = [...fromProfile, ...run.exercise.execs.map((command): ExerciseStep => ({ kind: 'exec', command, expectExit: 0 }))];
  for (const [i, s] of steps.entries()) {
    throwIfAborted(signal);
    if (s.kind === 'wait') {
      await sleep(s.ms, signal);
      continue;
    }
    if (s.kind === 'restart') {
      const r = await restartStep(options.restart);
      execs.push({ command: RESTART_LABEL, step: 'restart', exitCode: r.ok ? 0 : 1, output: r.output });
      if (r.ok) continue;
      if (options.tolerant !== true) {
        throw new RoProfileError('CONTAINER_FAILED', `the profile's restart step: "${options.imageRef}" did not come up again in the writable run: ${r.output}`, {
          hint: 'The image does not survive a stop and start with its own files (a stale pid or lock file?): check its logs with --debug, or use a profile without the restart step.',
        });
      }
      // Nothing after it can run on a container that is not up: the later steps are recorded as not run.
      break;
    }
    if (s.kind === 'http' || s.kind === 'tcp') {
      // --no-probe wins over the profile: no request at all, its exec steps still run.
      if (run.exercise.probe === false) continue;
      const state = await engine.inspectContainer(id);
      const ep = endpointFor(state, options.engineInfo, s.port, (h, p) => engine.tunnel(state, h, p));
      // A hardened run whose server accepts and never answers (its workers could not start) must not hold each request for --exec-timeout.
      const requestMs = options.tolerant === true ? Math.min(timeoutMs, HARDENED_REQUEST_TIMEOUT_MS) : timeoutMs;
      const r = ep ? await (s.kind === 'http' ? httpStep(ep, s, requestMs) : tcpStep(ep, s, requestMs)) : { label: stepLabel(s), exitCode: 1, output: `port ${s.port} is not reachable`, ok: false };
      execs.push({ command: r.label, step: s.kind, exitCode: r.exitCode, output: r.output });
      if (!r.ok && options.failFast === true) return { probes, execs, failedFast: true };
      if (!r.ok && options.tolerant !== true) {
        throw new RoProfileError('CONTAINER_FAILED', `the profile's step ${r.label} ${s.kind === 'http' ? `answered ${r.output}, not HTTP ${s.expectStatus}` : `got no reply matching /${s.expect}/: ${JSON.stringify(r.output.slice(0, 200))}`} in the writable run`, {
          hint: 'The exercise profile does not fit this image: pick another with --profile, or the generic exercise with --no-profile.',
        });
      }
      continue;
    }
    const command = s.command;
    const ofProfile = i < fromProfile.length;
    const named = ofProfile ? `the profile's step "${command}"` : `--exec "${command}"`;
    const r = await step(() => (options.runStep ? options.runStep(command, timeoutMs) : engine.exec(id, ['sh', '-c', command], { timeoutMs })), timeoutMs, engine, id);
    if (r.exitCode === TIMED_OUT && options.tolerant !== true) {
      throw new RoProfileError('CONTAINER_FAILED', `${named} did not end within ${Math.round(timeoutMs / 1000)} s in the writable run`, {
        hint: 'Raise --exec-timeout, or make the step end on its own (a server started in it belongs in the background: "cmd &").',
      });
    }
    const output = `${r.stdout}${r.stderr}`;
    if ((r.exitCode === 126 || r.exitCode === 127 || r.exitCode === -1) && /executable file not found|no such file or directory/i.test(output) && /\bsh\b/.test(output)) {
      throw new RoProfileError('USAGE', `--exec needs a shell, and "${options.imageRef}" has no /bin/sh`, {
        hint: 'Exercise the image over its ports instead, or use an image variant that ships a shell.',
      });
    }
    execs.push({ command, ...(ofProfile ? { step: 'exec' as const } : {}), exitCode: r.exitCode, output: output.slice(-MAX_OUTPUT) });
    if (r.exitCode !== s.expectExit && options.failFast === true) return { probes, execs, failedFast: true };
    if (r.exitCode !== s.expectExit && options.tolerant !== true) {
      throw new RoProfileError('CONTAINER_FAILED', `${named} failed with exit code ${r.exitCode}${s.expectExit !== 0 ? ` (the profile expects ${s.expectExit})` : ''} in the writable run${output.trim() ? `:\n${output.trim().slice(-1000)}` : ''}`, {
        hint: 'An exercise step must succeed before the image is hardened; fix the command or the image setup.',
      });
    }
  }
  if (run.exercise.durationMs > 0 && options.tolerant !== true) {
    options.reporter.info(`keeping it running for ${Math.round(run.exercise.durationMs / 1000)} s (--duration)`);
    await sleep(run.exercise.durationMs, signal);
  }
  return { probes, execs };
}

/** How a restart step is named in records, messages and the report. */
export const RESTART_LABEL = 'restart (stop, start, ready again)';

/** A restart step's outcome: ready again (by what), or why not. */
async function restartStep(restart: (() => Promise<string>) | undefined): Promise<{ ok: boolean; output: string }> {
  if (!restart) throw new Error('a restart step ran where the container cannot be restarted');
  try {
    return { ok: true, output: await restart() };
  } catch (e) {
    if (isRoProfileError(e) && (e.code === 'NOT_READY' || e.code === 'CONTAINER_FAILED')) return { ok: false, output: e.message };
    throw e;
  }
}

/**
 * Stops the running container and starts it again until ready by the run's rule; `afterStart`
 * runs as soon as it started (a traced run attaches its tracer there: the gate waits for one).
 */
export async function restartInPlace(o: ReadyOptions & {
  readonly stopTimeoutSec: number;
  readonly beforeStart?: () => Promise<void>;
  readonly afterStart?: () => Promise<void>;
}): Promise<string> {
  await o.engine.stopContainer(o.id, o.stopTimeoutSec);
  await o.beforeStart?.();
  await o.engine.startContainer(o.id);
  await o.afterStart?.();
  const r = await waitReady(o);
  return `ready again by ${r.readiness}`;
}

/** The exit code recorded for a step that ran past --exec-timeout (as coreutils' timeout(1) has it). */
export const TIMED_OUT = 124;

/**
 * One step, a timeout of its own turned into a recorded outcome: in a hardened run it is a
 * difference, not a hang. So is a container that stopped before the step could run (an app that
 * opened its port, then failed and exited, as postgres without its socket directory does): the
 * engine refuses the exec, and that is the run's outcome, not the engine's failure.
 */
async function step(run: () => Promise<ExecOutcome>, timeoutMs: number, engine: Engine, id: string): Promise<ExecOutcome> {
  try {
    return await run();
  } catch (e) {
    if (isRoProfileError(e) && e.details['timedOut'] === 'true' && e.code === 'CONTAINER_FAILED') {
      return { exitCode: TIMED_OUT, stdout: '', stderr: `ro-profile: the step did not end within ${Math.round(timeoutMs / 1000)} s (--exec-timeout)` };
    }
    const state = await engine.inspectContainer(id).catch(() => undefined);
    if (state && !state.running) return { exitCode: STOPPED, stdout: '', stderr: `ro-profile: the container had stopped (exit code ${state.exitCode}${state.oomKilled ? ', killed for memory' : ''}) before the step could run` };
    throw e;
  }
}

/** The exit code recorded for a step the engine could not run because the container had stopped. */
export const STOPPED = 125;

/** One probe per port: HTTP where it answers HTTP, TCP otherwise. */
export async function probeAll(options: { readonly engine: Engine; readonly engineInfo: EngineInfo; readonly id: string; readonly ports: readonly number[]; readonly signal: AbortSignal }): Promise<ProbeResult[]> {
  const state = await options.engine.inspectContainer(options.id);
  const probes: ProbeResult[] = [];
  for (const port of options.ports) {
    throwIfAborted(options.signal);
    const ep = endpointFor(state, options.engineInfo, port, (h, p) => options.engine.tunnel(state, h, p));
    if (!ep) {
      probes.push({ port, kind: 'tcp', ok: false, error: `not reachable with network "${state.networkMode}"` });
      continue;
    }
    const http = await httpProbe(ep, 5000);
    if (http.status !== undefined) {
      const { status, bodySha256, bodyShapeSha256, contentType } = http;
      probes.push({ port, kind: 'http', ok: true, status, ...(bodySha256 ? { bodySha256 } : {}), ...(bodyShapeSha256 ? { bodyShapeSha256 } : {}), ...(contentType ? { contentType } : {}) });
    } else {
      const tcp = await tcpProbe(ep, 2000);
      probes.push({ port, kind: 'tcp', ok: tcp.ok, ...(tcp.error ? { error: tcp.error } : {}) });
    }
  }
  return probes;
}

export interface PageStability {
  readonly port: number;
  /** `exact`: the same bytes each time; `shape`: the same once times, counters and ids are masked; `none`: not even that. */
  readonly stability: 'exact' | 'shape' | 'none';
}

/** Requests per HTTP port in all, the exercise's own included. */
const PAGE_REQUESTS = 3;

/**
 * Asks each HTTP port of `first` again, a second apart, and says how alike its pages were: what
 * a later run can be held to (a page that embeds the time or a token changes by itself).
 */
export async function bodyStabilityOf(o: { readonly engine: Engine; readonly engineInfo: EngineInfo; readonly id: string; readonly signal: AbortSignal }, first: readonly ProbeResult[]): Promise<PageStability[]> {
  const http = first.filter((p) => p.kind === 'http');
  if (http.length === 0) return [];
  const rounds: ProbeResult[][] = [http];
  for (let i = 1; i < PAGE_REQUESTS; i++) {
    // Long enough for a clock with one-second resolution to tick.
    await sleep(1100, o.signal);
    rounds.push(await probeAll({ ...o, ports: http.map((p) => p.port) }));
  }
  return http.map((p) => {
    const seen = rounds.map((r) => r.find((x) => x.port === p.port));
    const same = (k: 'bodySha256' | 'bodyShapeSha256') => seen.every((x) => x?.kind === 'http' && x.status === p.status && x[k] === p[k]);
    return { port: p.port, stability: same('bodySha256') ? 'exact' : same('bodyShapeSha256') ? 'shape' : 'none' };
  });
}
