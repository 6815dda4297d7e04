import { LEVEL_MEANING, type Hardening } from '../model/hardening.js';
import type { Result } from '../model/result.js';
import { oneLine } from './one-line.js';

/** The user the config runs as: the level's numeric one, else --user as given, else the image's (undefined). */
export function configUser(result: Pick<Result, 'run' | 'hardening'>): string | undefined {
  const u = result.hardening?.user;
  return u ? `${u.uid}:${u.gid}` : result.run.user;
}

/** docker run's capability flags: --cap-drop ALL, then each one kept. */
export function capabilityArgs(h: Hardening | undefined): string[] {
  if (!h) return [];
  return [...h.capDrop.flatMap((c) => ['--cap-drop', c]), ...h.capAdd.flatMap((c) => ['--cap-add', c.name])];
}

/**
 * What the config's process settings are and why, as comment lines every format carries above
 * its config: the level, each capability kept with its reason and what to do instead, the user.
 */
export function hardeningCommentLines(result: Pick<Result, 'hardening'>): string[] {
  const h = result.hardening;
  if (!h) return [];
  const out = [`# hardening: ${h.level}: ${LEVEL_MEANING[h.level]}${h.verified ? '' : '; NOT verified'}${h.requested === 'auto' ? '' : `; asked for ${h.requested}`}`];
  for (const c of h.capAdd) {
    out.push(`# capability ${c.name} kept: it ${oneLine(c.reason)}${c.alternative ? `; without it: ${oneLine(c.alternative)}` : ''}`);
  }
  if (h.user) out.push(h.arbitraryUid ? `# user: any UID with GID 0 (verified as ${h.user.uid}:0); the platform assigns it` : `# user: ${h.user.uid}:${h.user.gid}, numeric, so an admission check can see it is not root`);
  for (const r of h.rejected) out.push(`# not ${r.level}: ${oneLine(r.setting)} broke it (${oneLine(r.message)})${r.fix ? `; ${oneLine(r.fix)}` : ''}`);
  out.push('# seccomp: the engine\'s default profile (RuntimeDefault); never add seccomp=unconfined');
  return out.map((l) => `${l}\n`);
}
