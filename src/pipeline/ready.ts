import { RoProfileError } from '../errors.js';
import type { ImageFacts } from '../model/image-facts.js';
import type { ExerciseReport } from '../model/result.js';
import type { RunSpec } from '../model/run-spec.js';
import type { ContainerState, Engine, EngineInfo } from '../runtime/engine.js';
import { sleep } from './abort.js';
import { endpointFor } from './endpoints.js';
import { tcpProbe } from './probes.js';
import { httpStep } from './steps.js';

export interface Readiness {
  readonly readiness: ExerciseReport['readiness'];
  readonly readyAfterMs: number;
  readonly jobExitCode?: number;
}

// Short (it was 100 ms): an app is often ready a few ms after its port opens, and a look is one
// inspect and one connect, cheap for the engine; readiness is seen within 25 ms, not 100.
export const READY_POLL_MS = 25;

/** What waiting for readiness needs: the container, its image's facts and the run's rules. */
export interface ReadyOptions {
  readonly engine: Engine;
  readonly engineInfo: EngineInfo;
  readonly id: string;
  readonly image: ImageFacts;
  readonly run: RunSpec;
  readonly signal: AbortSignal;
}

/**
 * Waits until the container is ready: its healthcheck if it has one, else every probed TCP
 * port accepting, else a settle time. A container with no port and no healthcheck that exits 0
 * is a finished job; any other exit before ready is CONTAINER_FAILED (exit 5); running out of
 * --timeout is NOT_READY (exit 6).
 */
export async function waitReady(options: ReadyOptions): Promise<Readiness> {
  const { engine, id, image, run, signal } = options;
  const started = Date.now();
  // A profile may name the one port that says "ready" (others, an admin port, may open later).
  const ports = run.exercise.ready?.ports ?? run.exercise.probePorts;
  const mode: Readiness['readiness'] = image.healthcheck ? 'healthcheck' : ports.length > 0 ? 'ports' : 'settle';
  const jobEligible = mode === 'settle';
  let lastWhy = 'nothing checked yet';
  for (;;) {
    const elapsed = Date.now() - started;
    const state = await engine.inspectContainer(id);
    if (!state.running) {
      if (jobEligible && state.exitCode === 0 && !state.oomKilled) {
        return { readiness: 'job-exit', readyAfterMs: elapsed, jobExitCode: 0 };
      }
      throw await exitedError(engine, id, state, image.ref);
    }
    let met = false;
    if (mode === 'healthcheck') {
      met = state.health?.status === 'healthy';
      if (!met) lastWhy = `healthcheck is "${state.health?.status ?? 'unknown'}"${state.health?.lastOutput ? `: ${state.health.lastOutput}` : ''}`;
    } else if (mode === 'ports') {
      const waiting = await closedPorts(state, options, ports);
      met = waiting.length === 0;
      if (!met) lastWhy = `port${waiting.length > 1 ? 's' : ''} ${waiting.join(', ')} not accepting connections`;
    } else met = elapsed >= run.exercise.settleMs;
    if (met) {
      // What the profile adds: a page that must answer, a log line that must appear.
      const why = await profileNotReady(state, options);
      if (why === undefined) return { readiness: mode, readyAfterMs: elapsed };
      lastWhy = why;
    }
    if (elapsed > run.exercise.timeoutMs) {
      throw new RoProfileError('NOT_READY', `"${image.ref}" was not ready after ${Math.round(run.exercise.timeoutMs / 1000)} s: ${lastWhy}`, {
        hint: lastWhy.startsWith('no line of its output')
          ? "The profile's ready.log is matched against the container's stdout and stderr only: an app that logs to a file (squid's cache.log) never matches it; use ready.port or ready.http for it, or raise --timeout."
          : 'Raise --timeout if the app is slow to start, or check its logs with --debug.',
        details: { container: id.slice(0, 12) },
      });
    }
    await sleep(READY_POLL_MS, signal);
  }
}

/** How long before the recorded start its own output may already be. */
const START_MARGIN_MS = 250;

async function profileNotReady(state: ContainerState, options: { readonly engine: Engine; readonly engineInfo: EngineInfo; readonly id: string; readonly run: RunSpec }): Promise<string | undefined> {
  const ready = options.run.exercise.ready;
  if (ready?.http && options.run.exercise.probe !== false) {
    const ep = endpointFor(state, options.engineInfo, ready.http.port, (h, p) => options.engine.tunnel(state, h, p));
    const r = ep ? await httpStep(ep, { kind: 'http', port: ready.http.port, method: 'GET', path: ready.http.path, bodyBytes: 0, headers: {}, expectStatus: ready.http.status }, 2000) : undefined;
    if (!r?.ok) return `GET :${ready.http.port}${ready.http.path} answered ${r?.output ?? 'nothing'}, not HTTP ${ready.http.status}`;
  }
  if (ready?.log !== undefined) {
    // This start's own lines: after a restart, the first start's "ready" line says nothing. The
    // engine records StartedAt after the process runs, and a busy host lets a fast app print its
    // ready line first: a margin keeps that line, and is far shorter than a start and a stop.
    const logs = await options.engine.logs(options.id, state.startedAtMs > 0 ? { sinceMs: state.startedAtMs - START_MARGIN_MS } : {});
    const re = new RegExp(ready.log, 'm');
    if (!re.test(logs.stdout) && !re.test(logs.stderr)) return `no line of its output matches /${ready.log}/ yet`;
  }
  return undefined;
}

async function closedPorts(
  state: ContainerState,
  options: { readonly engine: Engine; readonly engineInfo: EngineInfo },
  ports: readonly number[],
): Promise<number[]> {
  const waiting: number[] = [];
  for (const port of ports) {
    const ep = endpointFor(state, options.engineInfo, port, (h, p) => options.engine.tunnel(state, h, p));
    if (!ep) continue;
    const r = await tcpProbe(ep, 1000);
    if (!r.ok) waiting.push(port);
  }
  return waiting;
}

async function exitedError(engine: Engine, id: string, state: ContainerState, ref: string): Promise<RoProfileError> {
  const logs = await engine.logs(id).catch(() => ({ stdout: '', stderr: '' }));
  const tail = `${logs.stdout}${logs.stderr}`.trim().split('\n').slice(-10).join('\n');
  const why = state.oomKilled ? 'was killed for using too much memory' : `exited with code ${state.exitCode}`;
  return new RoProfileError('CONTAINER_FAILED', `"${ref}" ${why} before it was ready${tail ? `; last output:\n${tail}` : ''}`, {
    hint: state.oomKilled
      ? 'Raise --memory.'
      : 'Check the command, environment and mounts you passed; the app must start with a writable root before it can be profiled.',
    details: { container: id.slice(0, 12), exitCode: String(state.exitCode) },
  });
}
