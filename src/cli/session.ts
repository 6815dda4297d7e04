import { RoProfileError } from '../errors.js';
import type { CleanupScope } from '../pipeline/cleanup-scope.js';
import { DockerEngine } from '../runtime/docker-engine.js';
import type { Engine } from '../runtime/engine.js';
import { currentIdentity, type SessionIdentity } from '../runtime/labels.js';
import { installRunSignals } from './signals.js';

/**
 * What a command that runs containers sets up before it calls the pipeline, and undoes after:
 * the session labels, the abort signal Ctrl-C fires, the signal handlers (which name what the
 * run's scope still owns), and the engine, whose waits end with that signal. `using` disposes it.
 */
export interface RunSession extends Disposable {
  readonly identity: SessionIdentity;
  readonly signal: AbortSignal;
  readonly engine: Engine;
  /** Handed to the pipeline: the scope a second Ctrl-C halts and names. */
  readonly onScope: (scope: CleanupScope) => void;
  /** Throws the interrupt when the run was interrupted (a pipeline that returned after the abort). */
  throwIfInterrupted(): void;
  /** What to report for a failure: the interrupt when the run was interrupted, else the failure itself. */
  failure(e: unknown): unknown;
}

export interface RunSessionOptions {
  /** The message of the interrupt error (exit 130). */
  readonly interrupted: string;
  /** What the run owns when it is not one scope handed to onScope (batch: the scopes of the images in flight). */
  readonly owned?: () => readonly CleanupScope[];
}

export function openRunSession(o: RunSessionOptions): RunSession {
  const controller = new AbortController();
  const identity = currentIdentity();
  let scope: CleanupScope | undefined;
  const uninstall = installRunSignals(controller, identity, () => o.owned?.() ?? scope);
  const interrupt = () => new RoProfileError('INTERRUPTED', o.interrupted);
  return {
    identity,
    signal: controller.signal,
    engine: new DockerEngine(undefined, { signal: controller.signal }),
    onScope: (s) => (scope = s),
    throwIfInterrupted: () => {
      if (controller.signal.aborted) throw interrupt();
    },
    failure: (e) => (controller.signal.aborted ? interrupt() : e),
    [Symbol.dispose]: uninstall,
  };
}
