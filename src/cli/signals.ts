import { rmSync } from 'node:fs';
import { shellQuote } from '../emit/shell-quote.js';
import { CleanupScope } from '../pipeline/cleanup-scope.js';
import { DockerEngine } from '../runtime/docker-engine.js';
import type { ManagedObject } from '../runtime/engine.js';
import { LABEL_SESSION, type SessionIdentity } from '../runtime/labels.js';

/** How long a second Ctrl-C waits for the engine to say what is still there. */
const LIST_TIMEOUT_MS = 2500;
/** How long it waits for the removal in flight to return before it lists (a container's `rm -f` is about 1 s). */
const HALT_WAIT_MS = 3000;

export interface SignalOptions {
  readonly controller: AbortController;
  /** The run's session: everything it creates carries it, and `gc --session` removes by it. */
  readonly sessionId: string;
  /** What the run's cleanup still owns, by label: said when the engine cannot be asked. */
  readonly leftovers: () => string[];
  /** What the engine still holds of this session ("container 1a2b…", "volume …"), or undefined when it cannot say. */
  readonly stillThere?: () => Promise<string[] | undefined>;
  /** Stops the run's cleanup (no further removal starts) and waits, briefly, for the one in flight. */
  readonly halt?: (waitMs: number) => Promise<void>;
  /** Local temp dirs the run still owns: removed on the spot, they need no engine. */
  readonly localPaths?: () => string[];
  readonly write: (line: string) => void;
  readonly exit?: (code: number) => void;
}

/** The exact command that removes what a session left, for any session id. */
export function gcLine(sessionId: string): string {
  return `ro-profile gc --session ${shellQuote(sessionId)}`;
}

/**
 * The first SIGINT/SIGTERM aborts the run, so `finally` blocks remove what it created; a second
 * one stops the cleanup: it removes the local temp dirs at once, halts the engine cleanup (the
 * removal in flight may end, no other starts, so nothing vanishes after it is named), asks the
 * engine (briefly) what of this session is still there, names each by id with the `gc` line
 * that removes it, and exits 130. A third exits without waiting for the engine.
 */
export function installSignalHandlers(options: SignalOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let count = 0;
  const handler = (sig: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      options.write(`ro-profile: ${sig} received, cleaning up (press Ctrl-C again to exit at once)`);
      options.controller.abort();
      return;
    }
    if (count > 2) {
      options.write(`ro-profile: exiting now; remove what is left with: ${gcLine(options.sessionId)}`);
      exit(130);
      return;
    }
    for (const p of options.localPaths?.() ?? []) rmSync(p, { recursive: true, force: true });
    const listed = (options.halt?.(HALT_WAIT_MS).catch(() => undefined) ?? Promise.resolve()).then(() => {
      const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), LIST_TIMEOUT_MS).unref());
      return options.stillThere ? Promise.race([options.stillThere().catch(() => undefined), timeout]) : undefined;
    });
    void listed.then((left) => {
      const owned = options.leftovers();
      if (left !== undefined && left.length === 0) options.write('ro-profile: exiting now; nothing of this run is left');
      else if (left !== undefined) options.write(`ro-profile: exiting now; left on the engine: ${left.join(', ')}\nro-profile: remove them with: ${gcLine(options.sessionId)}`);
      else options.write(`ro-profile: exiting now; the engine did not say what is left${owned.length > 0 ? ` (the cleanup still had: ${owned.join(', ')})` : ''}\nro-profile: remove what is left with: ${gcLine(options.sessionId)}`);
      exit(130);
    });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/**
 * The handlers of a command that runs containers: its session, its scope (a batch: the scopes of
 * every image in flight), the engine it uses.
 */
export function installRunSignals(controller: AbortController, identity: SessionIdentity, scope: () => CleanupScope | readonly CleanupScope[] | undefined): () => void {
  const scopes = (): readonly CleanupScope[] => {
    const s = scope();
    return s === undefined ? [] : s instanceof CleanupScope ? [s] : s;
  };
  return installSignalHandlers({
    controller,
    sessionId: identity.sessionId,
    leftovers: () => scopes().flatMap((s) => s.pending()),
    localPaths: () => scopes().flatMap((s) => s.localPaths()),
    halt: async (waitMs) => void (await Promise.all(scopes().map((s) => s.halt(waitMs)))),
    // A container the engine is already removing goes on being removed after we exit: not left.
    stillThere: async () => (await new DockerEngine().listManaged([`${LABEL_SESSION}=${identity.sessionId}`])).filter((o) => o.state !== 'removing').map(describeObject).sort(),
    write: (l) => process.stderr.write(`${l}\n`),
  });
}

export function describeObject(o: ManagedObject): string {
  return `${o.kind} ${o.kind === 'volume' ? o.name : o.id.slice(0, 12)}`;
}
