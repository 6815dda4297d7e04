import type Docker from 'dockerode';
import { RoProfileError } from '../errors.js';
import type { WaitOptions } from './engine.js';
import { deadline } from './deadline.js';
import { apiMessage, containerRefusal, UNREACHABLE_CODES, type DockerApiError } from './docker-api.js';

/** What every DockerEngine call needs: the client, where it points (for messages) and the run's signal. */
export interface DockerContext {
  readonly docker: Docker;
  readonly endpoint: string;
  /** The run's signal: every wait on the engine ends with it (cleanup calls do not take it). */
  readonly runSignal: AbortSignal | undefined;
  /** Why the engine could not even be named (a docker context that does not exist): every call fails with it. */
  readonly unresolved?: RoProfileError;
}

/** An engine that cannot be reached stays that (call() says so); any other refusal is the container's. */
export function refused(op: 'create' | 'start', e: unknown): unknown {
  const code = (e as DockerApiError)?.code;
  return code && UNREACHABLE_CODES.has(code) ? e : containerRefusal(op, e);
}

/** `fn`, with its failures turned into RoProfileError (an unreachable engine says so, with where it was looked for). */
export async function call<T>(ctx: DockerContext, op: string, fn: () => Promise<T>): Promise<T> {
  if (ctx.unresolved) throw ctx.unresolved;
  try {
    return await fn();
  } catch (e) {
    if (e instanceof RoProfileError) throw e;
    const code = (e as DockerApiError)?.code;
    if (code && UNREACHABLE_CODES.has(code)) {
      throw new RoProfileError('DOCKER_UNAVAILABLE', `Cannot reach the Docker engine at ${ctx.endpoint} (${code})`, {
        hint: 'Start the Docker engine, or point DOCKER_HOST at a running one.',
        cause: e,
      });
    }
    throw new RoProfileError('INTERNAL', `Docker ${op} failed: ${apiMessage(e)}`, { cause: e, details: { op } });
  }
}

/** `fn` with a signal that aborts on interrupt or past the bound; either ends it with the error that says which. */
export async function bounded<T>(ctx: DockerContext, op: string, o: WaitOptions | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const d = deadline(op, ctx.runSignal, o?.timeoutMs);
  try {
    if (d.signal.aborted) throw d.why();
    return await call(ctx, op, () => fn(d.signal));
  } catch (e) {
    throw d.signal.aborted ? d.why(e) : e;
  } finally {
    d.done();
  }
}
