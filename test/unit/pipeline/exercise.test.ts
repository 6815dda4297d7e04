import { describe, expect, it } from 'vitest';
import { RoProfileError, isRoProfileError } from '../../../src/errors.js';
import type { ExerciseStep } from '../../../src/model/exercise-profile.js';
import { RESTART_LABEL, exercise, restartInPlace } from '../../../src/pipeline/exercise.js';
import { silentReporter } from '../../../src/pipeline/reporter.js';
import type { ExecOutcome } from '../../../src/runtime/engine.js';
import { EngineFake, LOCAL_ENGINE, containerState } from '../../helpers/engine-fake.js';
import { sampleImage, sampleRun } from '../../helpers/samples.js';

const ID = 'c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff';

/** Runs every exec (`sh -c CMD`) as printing its command, and logs starts and stops with what else happens. */
class ScriptedEngine extends EngineFake {
  readonly order: string[] = [];
  constructor() {
    super({ states: [containerState({ id: ID })] });
  }
  override async exec(_id: string, cmd: readonly string[]): Promise<ExecOutcome> {
    this.order.push(`exec ${cmd[2]}`);
    return { exitCode: 0, stdout: `${cmd[2]}\n`, stderr: '' };
  }
  override async stopContainer(): Promise<void> {
    this.order.push('stop');
  }
  override async startContainer(): Promise<void> {
    this.order.push('start');
  }
}

function run(steps: readonly ExerciseStep[]) {
  return sampleRun({}, { settleMs: 0, timeoutMs: 2000, steps });
}

const STEPS: readonly ExerciseStep[] = [
  { kind: 'exec', command: 'echo before', expectExit: 0 },
  { kind: 'restart' },
  { kind: 'exec', command: 'echo after', expectExit: 0 },
];

function exerciseWith(engine: ScriptedEngine, restart: () => Promise<string>, tolerant = false) {
  return exercise({ engine, engineInfo: LOCAL_ENGINE, id: ID, imageRef: 'example/app:1', run: run(STEPS), reporter: silentReporter, signal: new AbortController().signal, restart, tolerant });
}

describe('exercise: a restart step', () => {
  it('restarts between the steps around it and records itself as a step', async () => {
    const engine = new ScriptedEngine();
    const { execs } = await exerciseWith(engine, async () => {
      engine.order.push('restart');
      return 'ready again by ports';
    });
    expect(engine.order).toEqual(['exec echo before', 'restart', 'exec echo after']);
    expect(execs).toEqual([
      { command: 'echo before', step: 'exec', exitCode: 0, output: 'echo before\n' },
      { command: RESTART_LABEL, step: 'restart', exitCode: 0, output: 'ready again by ports' },
      { command: 'echo after', step: 'exec', exitCode: 0, output: 'echo after\n' },
    ]);
  });

  it('in the writable run, a container that does not come up again stops the profile with exit 5 naming the step', async () => {
    const engine = new ScriptedEngine();
    const e = await exerciseWith(engine, async () => {
      throw new RoProfileError('NOT_READY', '"example/app:1" was not ready after 2 s: port 80 not accepting connections');
    }).catch((x: unknown) => x);
    expect(isRoProfileError(e) && e.code).toBe('CONTAINER_FAILED');
    expect((e as Error).message).toBe(`the profile's restart step: "example/app:1" did not come up again in the writable run: "example/app:1" was not ready after 2 s: port 80 not accepting connections`);
    expect(engine.order).toEqual(['exec echo before']);
  });

  it('in a hardened run, the failed restart is recorded and the steps after it do not run (the comparison names them)', async () => {
    const engine = new ScriptedEngine();
    const { execs } = await exerciseWith(engine, async () => {
      throw new RoProfileError('CONTAINER_FAILED', '"example/app:1" exited with code 1 before it was ready');
    }, true);
    expect(execs.map((x) => [x.command, x.exitCode])).toEqual([['echo before', 0], [RESTART_LABEL, 1]]);
    expect(execs[1]?.output).toBe('"example/app:1" exited with code 1 before it was ready');
  });

  it('an error that is not about the container (an interrupt) is not a failed step', async () => {
    const engine = new ScriptedEngine();
    const e = await exerciseWith(engine, async () => {
      throw new RoProfileError('INTERRUPTED', 'interrupted');
    }, true).catch((x: unknown) => x);
    expect(isRoProfileError(e) && e.code).toBe('INTERRUPTED');
  });
});

describe("exercise: the profile's exec steps and --exec", () => {
  it('an --exec runs after the profile\'s steps and is recorded without a step kind; a failing profile step is named as the profile\'s', async () => {
    const engine = new ScriptedEngine();
    const both = sampleRun({}, { settleMs: 0, timeoutMs: 2000, steps: [{ kind: 'exec', command: 'echo mine', expectExit: 0 }], execs: ['echo yours'] });
    const { execs } = await exercise({ engine, engineInfo: LOCAL_ENGINE, id: ID, imageRef: 'example/app:1', run: both, reporter: silentReporter, signal: new AbortController().signal });
    expect(execs).toEqual([
      { command: 'echo mine', step: 'exec', exitCode: 0, output: 'echo mine\n' },
      { command: 'echo yours', exitCode: 0, output: 'echo yours\n' },
    ]);
    const strict = sampleRun({}, { settleMs: 0, timeoutMs: 2000, steps: [{ kind: 'exec', command: 'echo mine', expectExit: 3 }] });
    const e = await exercise({ engine, engineInfo: LOCAL_ENGINE, id: ID, imageRef: 'example/app:1', run: strict, reporter: silentReporter, signal: new AbortController().signal }).catch((x: unknown) => x);
    expect(isRoProfileError(e) && e.code).toBe('CONTAINER_FAILED');
    expect((e as Error).message).toMatch(/^the profile's step "echo mine" failed with exit code 0 \(the profile expects 3\) in the writable run/);
  });
});

describe('restartInPlace', () => {
  it('stops, starts, lets the caller attach between them, and waits until ready by the run\'s rule', async () => {
    const engine = new ScriptedEngine();
    const said = await restartInPlace({
      engine, engineInfo: LOCAL_ENGINE, id: ID, image: sampleImage(), run: run([]), signal: new AbortController().signal, stopTimeoutSec: 3,
      beforeStart: async () => void engine.order.push('trace of the first start ended'),
      afterStart: async () => void engine.order.push('tracer attached'),
    });
    expect(said).toBe('ready again by settle');
    expect(engine.order).toEqual(['stop', 'trace of the first start ended', 'start', 'tracer attached']);
  });
});

/** An app that opened its port, then exited: the engine refuses every exec (409 "is not running"). */
class StoppedEngine extends EngineFake {
  constructor() {
    super({ states: [containerState({ id: ID, running: false, status: 'exited', exitCode: 1 })] });
  }
  override async exec(): Promise<ExecOutcome> {
    throw new RoProfileError('INTERNAL', `Docker exec failed: Container ${ID} is not running`);
  }
}

describe('exercise: an exec step into a container that has stopped', () => {
  const steps: readonly ExerciseStep[] = [{ kind: 'exec', command: 'psql -c "select 1"', expectExit: 0 }];
  const go = (engine: EngineFake, tolerant: boolean) =>
    exercise({ engine, engineInfo: LOCAL_ENGINE, id: ID, imageRef: 'example/db:1', run: run(steps), reporter: silentReporter, signal: new AbortController().signal, tolerant });

  it('in a hardened run, is a recorded step that failed (a difference), not the engine failing the whole run', async () => {
    const { execs } = await go(new StoppedEngine(), true);
    expect(execs).toEqual([{ command: 'psql -c "select 1"', step: 'exec', exitCode: 125, output: 'ro-profile: the container had stopped (exit code 1) before the step could run' }]);
  });

  it('in the writable run, fails the profile as the container failing (exit 5), naming the step', async () => {
    const e = await go(new StoppedEngine(), false).catch((x: unknown) => x);
    expect(isRoProfileError(e) && e.code).toBe('CONTAINER_FAILED');
    expect((e as Error).message).toContain('the container had stopped (exit code 1)');
  });

  it('while the container still runs, an engine failure stays the engine failure', async () => {
    class Refusing extends StoppedEngine {
      constructor() {
        super();
        this.states = [containerState({ id: ID })];
      }
    }
    const e = await go(new Refusing(), true).catch((x: unknown) => x);
    expect(isRoProfileError(e) && e.code).toBe('INTERNAL');
  });
});
