import { readFirstFile } from '../harvest/archive.js';
import { nonRootCandidate, resolveUser, settingsFor, startUserOf, mountsOwnedFor, capabilityHints, reasonFor, type PrivilegeFacts } from '../analyze/hardening.js';
import type { Hardening, HardenRequest, ProcessInfo } from '../model/hardening.js';
import type { Mount } from '../model/mount-plan.js';
import type { ProbeResult } from '../model/result.js';
import type { WriteEvent } from '../model/write-event.js';
import type { Engine } from '../runtime/engine.js';

/** The running container's processes and its init's host pid: who the app runs as. */
export async function readProcesses(engine: Engine, id: string): Promise<{ processes: ProcessInfo[]; initPid: number }> {
  const [processes, state] = await Promise.all([engine.processes(id).catch(() => []), engine.inspectContainer(id)]);
  return { processes, initPid: state.hostPid };
}

/** The user the container starts as, numeric, from the image's own /etc/passwd and /etc/group (a job's processes are gone). */
export async function readStartUser(engine: Engine, id: string, user: string): Promise<{ uid: number; gid: number } | undefined> {
  // A file the image lacks is an empty one (the engine answers 404).
  const read = async (path: string) => (await engine.getArchive(id, path).then((s) => readFirstFile(s, 1 << 20)).catch(() => undefined))?.body.toString('utf8') ?? '';
  if (/^\d+:\d+$/.test(user) || user === '') return resolveUser(user, '', '');
  return resolveUser(user, await read('/etc/passwd'), await read('/etc/group'));
}

export function privilegeFacts(p: { processes: readonly ProcessInfo[]; initPid: number }, startUser: { uid: number; gid: number } | undefined, probes: readonly ProbeResult[], events: readonly WriteEvent[]): PrivilegeFacts {
  return { processes: p.processes, initPid: p.initPid, ...(startUser ? { startUser } : {}), probes, events };
}

/**
 * The level verification starts at: a non-root app runs the same with every capability dropped
 * and its user numeric, so `restricted` costs it nothing; a root app starts at `off` (as the
 * writable run had it) and stronger levels are tried after. Without verification, the level is
 * what the request names (its capabilities from the run's hints), marked not verified.
 */
export function startingHardening(requested: HardenRequest, facts: PrivilegeFacts, mounts: readonly Mount[], verify: boolean): { hardening: Hardening; mounts: Mount[] } {
  const start = startUserOf(facts);
  const nonRoot = start !== undefined && start.uid !== 0;
  const evidence = facts.processes.slice(0, 10).map((p) => `${p.uid}:${p.gid} ${p.command}`.slice(0, 200));
  const withEvidence = (h: Hardening): Hardening => ({ ...h, ...(evidence.length > 0 ? { processes: evidence } : {}) });
  let h: Hardening;
  if (!verify) {
    const level = requested === 'auto' ? (nonRoot ? 'restricted' : 'off') : requested;
    const hints = level === 'drop-caps' ? capabilityHints(facts).map((c) => ({ ...reasonFor(c.name), ...c, evidence: ['from the writable run (not verified: --no-verify)'] })) : [];
    h = settingsFor(level, requested, level === 'restricted' ? (nonRoot ? start : nonRootCandidate(facts)) : undefined, hints);
  } else if (nonRoot && (requested === 'auto' || requested === 'restricted' || requested === 'openshift')) {
    h = settingsFor('restricted', requested, start);
  } else if (nonRoot && requested === 'drop-caps') {
    h = settingsFor('drop-caps', requested, undefined);
  } else {
    h = settingsFor('off', requested, undefined);
  }
  return { hardening: withEvidence(h), mounts: mountsOwnedFor(mounts, h.user, h.arbitraryUid === true) };
}
