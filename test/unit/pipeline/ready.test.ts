import { sampleImage, sampleRun } from '../../helpers/samples.js';
import { describe, expect, it } from 'vitest';
import type { RoProfileError } from '../../../src/errors.js';
import type { ImageFacts } from '../../../src/model/image-facts.js';
import type { RunSpec } from '../../../src/model/run-spec.js';
import { READY_POLL_MS, waitReady } from '../../../src/pipeline/ready.js';
import type { ContainerState } from '../../../src/runtime/engine.js';
import { EngineFake, LOCAL_ENGINE, containerState } from '../../helpers/engine-fake.js';
import { closedPort, tcpServer } from '../../helpers/servers.js';

const ID = 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeed';

const IMAGE: ImageFacts = sampleImage({ id: 'sha256:2222222222222222222222222222222222222222222222222222222222222222' });
const WITH_HEALTHCHECK: ImageFacts = { ...IMAGE, healthcheck: { test: ['CMD', 'curl', '-f', 'http://localhost/'] } };

function runSpec(exercise: Partial<RunSpec['exercise']> = {}): RunSpec {
  return sampleRun({ image: IMAGE.ref }, { timeoutMs: 10_000, settleMs: 0, ...exercise });
}

const running = (overrides: Partial<ContainerState> = {}) => containerState({ id: ID, ...overrides });
const exited = (exitCode: number, overrides: Partial<ContainerState> = {}) => running({ running: false, status: 'exited', exitCode, ...overrides });
const health = (status: string, lastOutput = '') => running({ health: { status, lastOutput } });

function wait(engine: EngineFake, image: ImageFacts, run: RunSpec, signal = new AbortController().signal) {
  return waitReady({ engine, engineInfo: LOCAL_ENGINE, id: ID, image, run, signal });
}

async function failure(p: Promise<unknown>): Promise<RoProfileError> {
  try {
    await p;
  } catch (e) {
    return e as RoProfileError;
  }
  throw new Error('expected a rejection');
}

describe('waitReady', () => {
  it("a profile's log line: ready once the output holds it; never there, exit 6 saying the pattern reads stdout and stderr only", async () => {
    const ready = new EngineFake({ states: [running()], logs: { stdout: 'booting\nAccepting HTTP connections\n', stderr: '' } });
    expect((await wait(ready, IMAGE, runSpec({ ready: { log: '^Accepting HTTP' } }))).readiness).toBe('settle');
    const silent = new EngineFake({ states: [running()], logs: { stdout: 'booting\n', stderr: '' } });
    const e = await failure(wait(silent, IMAGE, runSpec({ timeoutMs: 300, ready: { log: '^Accepting HTTP' } })));
    expect(e.code).toBe('NOT_READY');
    expect(e.message).toContain('no line of its output matches /^Accepting HTTP/ yet');
    expect(e.hint).toContain("ready.log is matched against the container's stdout and stderr only");
  });

  it("a profile's log line counts from this start on (less the engine's lag in recording it): after a restart, the first start's line says nothing", async () => {
    const engine = new EngineFake({ states: [running({ startedAtMs: 1_765_000_000_123 })], logs: { stdout: 'Ready to accept connections\n', stderr: '' } });
    await wait(engine, IMAGE, runSpec({ ready: { log: 'Ready to accept' } }));
    // Docker records StartedAt once the process runs: its first line may be a little older.
    expect(engine.callsTo('logs')).toEqual([[ID, { sinceMs: 1_765_000_000_123 - 250 }]]);
  });

  it('waits for the healthcheck to say healthy', async () => {
    const engine = new EngineFake({ states: [health('starting'), health('starting'), health('healthy')] });
    const r = await wait(engine, WITH_HEALTHCHECK, runSpec());
    expect(r.readiness).toBe('healthcheck');
    // Two polls apart (a timer may fire a millisecond early).
    expect(r.readyAfterMs).toBeGreaterThanOrEqual(2 * READY_POLL_MS - 2);
    expect(engine.callsTo('inspectContainer')).toEqual([[ID], [ID], [ID]]);
  });

  it('waits for every probed port to accept connections', async () => {
    await using server = await tcpServer(() => undefined);
    const engine = new EngineFake({ states: [running({ networkMode: 'host' })] });
    const r = await wait(engine, IMAGE, runSpec({ probePorts: [server.port] }));
    expect(r).toEqual({ readiness: 'ports', readyAfterMs: expect.any(Number) });
  });

  it('is ready after the settle time for an image with neither port nor healthcheck', async () => {
    const engine = new EngineFake({ states: [running()] });
    const r = await wait(engine, IMAGE, runSpec({ settleMs: 250 }));
    expect(r.readiness).toBe('settle');
    expect(r.readyAfterMs).toBeGreaterThanOrEqual(250);
    expect(engine.callsTo('inspectContainer').length).toBeGreaterThanOrEqual(3);
  });

  it('takes a container with neither port nor healthcheck that exits 0 as a finished job', async () => {
    const engine = new EngineFake({ states: [running(), exited(0)] });
    const r = await wait(engine, IMAGE, runSpec({ settleMs: 5_000 }));
    expect(r).toEqual({ readiness: 'job-exit', readyAfterMs: expect.any(Number), jobExitCode: 0 });
  });

  it.each<[string, ImageFacts, RunSpec, ContainerState, string, string]>([
    ['a job exiting non-zero', IMAGE, runSpec(), exited(3), '"example/app:1" exited with code 3 before it was ready', '3'],
    ['a server with a healthcheck exiting 0', WITH_HEALTHCHECK, runSpec(), exited(0), '"example/app:1" exited with code 0 before it was ready', '0'],
    ['a server with a port exiting 0', IMAGE, runSpec({ probePorts: [8080] }), exited(0), '"example/app:1" exited with code 0 before it was ready', '0'],
    ['a job killed for memory, even with exit 0', IMAGE, runSpec(), exited(0, { oomKilled: true }), '"example/app:1" was killed for using too much memory before it was ready', '0'],
  ])('fails with CONTAINER_FAILED for %s', async (_name, image, run, state, message, exitCode) => {
    const engine = new EngineFake({ states: [state] });
    const e = await failure(wait(engine, image, run));
    expect(e.code).toBe('CONTAINER_FAILED');
    expect(e.message).toBe(message);
    expect(e.details).toEqual({ container: ID.slice(0, 12), exitCode });
  });

  it('quotes the last ten lines of output of a container that failed', async () => {
    const stdout = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n');
    const engine = new EngineFake({ states: [exited(1)], logs: { stdout: `${stdout}\n`, stderr: 'fatal: cannot open /data/db\n' } });
    const e = await failure(wait(engine, IMAGE, runSpec()));
    expect(e.message).toBe(
      `"example/app:1" exited with code 1 before it was ready; last output:\n${['line 4', 'line 5', 'line 6', 'line 7', 'line 8', 'line 9', 'line 10', 'line 11', 'line 12', 'fatal: cannot open /data/db'].join('\n')}`,
    );
    expect(e.hint).toBe('Check the command, environment and mounts you passed; the app must start with a writable root before it can be profiled.');
  });

  it('tells to raise --memory when the container was killed for memory', async () => {
    const e = await failure(wait(new EngineFake({ states: [exited(137, { oomKilled: true })] }), IMAGE, runSpec()));
    expect(e.hint).toBe('Raise --memory.');
  });

  it('still reports the failure when the logs cannot be read', async () => {
    const engine = new EngineFake({ states: [exited(2)] });
    engine.logs = async () => {
      throw new Error('engine went away');
    };
    const e = await failure(wait(engine, IMAGE, runSpec()));
    expect([e.code, e.message]).toEqual(['CONTAINER_FAILED', '"example/app:1" exited with code 2 before it was ready']);
  });

  it('fails with NOT_READY and the last healthcheck output after the timeout', async () => {
    const engine = new EngineFake({ states: [health('starting', 'curl: (7) Failed to connect to localhost port 80')] });
    const e = await failure(wait(engine, WITH_HEALTHCHECK, runSpec({ timeoutMs: 150 })));
    expect(e.code).toBe('NOT_READY');
    expect(e.message).toBe('"example/app:1" was not ready after 0 s: healthcheck is "starting": curl: (7) Failed to connect to localhost port 80');
    expect(e.details).toEqual({ container: ID.slice(0, 12) });
  });

  it('names the ports that never accepted a connection', async () => {
    const [a, b] = [await closedPort(), await closedPort()];
    const engine = new EngineFake({ states: [running({ networkMode: 'host' })] });
    const e = await failure(wait(engine, IMAGE, runSpec({ probePorts: [a, b], timeoutMs: 1 })));
    expect(e.code).toBe('NOT_READY');
    expect(e.message).toBe(`"example/app:1" was not ready after 0 s: ports ${a}, ${b} not accepting connections`);
  });

  it('stops waiting with INTERRUPTED when the signal aborts', async () => {
    const engine = new EngineFake({ states: [health('starting')] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const e = await failure(wait(engine, WITH_HEALTHCHECK, runSpec(), controller.signal));
    expect([e.code, e.message]).toEqual(['INTERRUPTED', 'Interrupted']);
  });
});
