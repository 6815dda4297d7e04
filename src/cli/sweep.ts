import type { Engine } from '../runtime/engine.js';
import { LABEL_PID, LABEL_SESSION, type SessionIdentity } from '../runtime/labels.js';

/**
 * The last look of a run: whatever still carries this process's session and pid labels was
 * left by a path that missed its own cleanup (seen in CI under load: a few verification
 * containers of an nginx run, cause not yet found). It is removed, containers first, and said
 * on stderr so the miss stays visible instead of staying on the user's engine. Only for a
 * command that runs one profile in the process: batch shares the labels between images in flight.
 */
export async function sweepLeftovers(engine: Engine, identity: SessionIdentity): Promise<void> {
  const left = await engine.listManaged([`${LABEL_SESSION}=${identity.sessionId}`, `${LABEL_PID}=${identity.pid}`]).catch(() => []);
  if (left.length === 0) return;
  const order = { container: 0, network: 1, volume: 2 } as const;
  for (const o of [...left].sort((a, b) => order[a.kind] - order[b.kind])) {
    const remove = o.kind === 'container' ? engine.removeContainer(o.id) : o.kind === 'network' ? engine.removeNetwork(o.id) : engine.removeVolume(o.name);
    await remove.catch(() => undefined);
  }
  process.stderr.write(`ro-profile: warning: removed ${left.length} object(s) the run had left behind (${left.map((o) => `${o.kind} ${o.name || o.id.slice(0, 12)}`).join(', ')}); please report it\n`);
}
