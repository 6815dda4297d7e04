import type { ImageFacts } from '../model/image-facts.js';
import type { Engine, EngineInfo } from '../runtime/engine.js';
import { CleanupScope } from './cleanup-scope.js';
import type { Reporter } from './reporter.js';
import { resolveImage } from './resolve.js';

export interface RunStartOptions {
  readonly engine: Engine;
  readonly reporter: Reporter;
  readonly signal: AbortSignal;
  /** Lets the caller see what is owned (for the message of a second Ctrl-C). */
  readonly onScope?: (scope: CleanupScope) => void;
}

export interface RunStart {
  /** Owns what the run creates; the caller disposes it (`await using`). */
  readonly scope: CleanupScope;
  readonly engineInfo: EngineInfo;
  readonly image: ImageFacts;
}

/**
 * The start profile, analyze-strace and verify RESULT share: the scope that will own what the run
 * creates (shown to the caller at once), the engine's facts (an unreachable engine fails here,
 * exit 3), then the image, pulled when missing (exit 4). `afterEngine` runs between the two.
 */
export async function startRun(o: RunStartOptions, imageRef: string, afterEngine?: (info: EngineInfo) => Promise<void>): Promise<RunStart> {
  const scope = new CleanupScope(o.reporter);
  o.onScope?.(scope);
  try {
    const engineInfo = await o.engine.info();
    await afterEngine?.(engineInfo);
    const image = await resolveImage(o.engine, imageRef, o.reporter, o.signal);
    return { scope, engineInfo, image };
  } catch (e) {
    await scope[Symbol.asyncDispose]();
    throw e;
  }
}
