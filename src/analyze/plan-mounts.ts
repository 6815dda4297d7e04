import type { DirFacts } from '../model/fs-facts.js';
import type { Finding, Mount, MountPlan } from '../model/mount-plan.js';
import type { WriteEvent } from '../model/write-event.js';
import { indexEvents, neededDir } from './needed-dirs.js';
import { compareStrings, isUnder, resolveLinks } from './paths.js';
import { selectMounts, type Chosen } from './select-mounts.js';
import { symlinkFindings } from './symlink-findings.js';
import { innermost, mountFor, uniqueSorted, volumeMount } from './mount-for.js';
import type { AnalyzeInput } from './analyze-input.js';

export type { AnalyzeInput } from './analyze-input.js';

export { MAX_COVERS, MIN_SIZE_BYTES, SIZE_FACTOR, canWrite, sizeFor, smallest } from './mount-for.js';

export interface Analysis {
  readonly plan: MountPlan;
  readonly findings: readonly Finding[];
}

/**
 * From observed writes to mounts. Pure: the same input gives the same plan, byte for byte,
 * whatever the order of the events. Every write not under the user's own mounts falls under
 * exactly one mount (the innermost), or under a finding when it lands straight in a system tree.
 */
export function planMounts(input: AnalyzeInput): Analysis {
  const facts = new Map(input.fs.dirs.map((d) => [d.path, d]));
  const findings: Finding[] = [];
  const byUser = new Map<string, WriteEvent[]>();
  const byVolume = new Map<string, WriteEvent[]>();
  const writes: WriteEvent[] = [];
  const execs: WriteEvent[] = [];
  const noMounts = input.userMounts.length === 0 && input.image.volumes.length === 0;
  // A user's mount or a VOLUME named through a link covers the writes where the link leads.
  const real = (p: string) => resolveLinks(p, input.fs.symlinks);
  const userMounts = input.userMounts.map((m) => ({ m, real: real(m) }));
  const volumes = input.image.volumes.map((v) => ({ v, real: real(v) }));
  for (const e of input.events) {
    if (noMounts) {
      if (e.op === 'exec') execs.push(e);
      else writes.push(e);
      continue;
    }
    const user = userMounts.find((u) => isUnder(e.realPath, u.m) || isUnder(e.realPath, u.real))?.m;
    const volume = volumes.find((x) => isUnder(e.realPath, x.v) || isUnder(e.realPath, x.real))?.v;
    if (user !== undefined) push(byUser, user, e);
    else if (e.op === 'exec') execs.push(e);
    else if (volume !== undefined) push(byVolume, volume, e);
    else writes.push(e);
  }

  const ix = indexEvents(writes);
  const needs = new Map<string, WriteEvent[]>();
  for (const e of writes) {
    const dir = neededDir(e, ix);
    if (dir !== undefined) push(needs, dir, e);
  }
  for (const p of input.persist ?? []) if (!needs.has(p)) needs.set(p, []);
  const { chosen, systemWrites } = selectMounts(needs, facts);
  const planned = planChosen(chosen, facts, execs, { ...input, transient: ix.transient });
  const mounts: Mount[] = planned.mounts;
  findings.push(...planned.findings);
  for (const v of [...input.image.volumes].sort(compareStrings)) {
    const events = byVolume.get(v) ?? [];
    const f = facts.get(v) ?? facts.get(real(v));
    if (events.length > 0) mounts.push(volumeMount(v, events, f, input.image.ref, input.volumePrefix));
    findings.push({
      kind: 'declared-volume',
      severity: 'info',
      path: v,
      message:
        events.length > 0
          ? `the image declares VOLUME ${v} and the app wrote ${events.length} entr${events.length === 1 ? 'y' : 'ies'} there: it becomes an explicit named volume, so the data survives a new container`
          : `the image declares VOLUME ${v}; nothing was written there during the profile, and Docker keeps it writable (an anonymous volume) even under --read-only`,
      evidence: uniqueSorted(events.map((e) => e.realPath)).slice(0, 20),
    });
  }
  for (const [tree, events] of systemWrites) findings.push(systemWriteFinding(tree, events));
  for (const [m, events] of byUser) {
    findings.push({
      kind: 'user-mount',
      severity: 'info',
      path: m,
      message: `${events.length} write${events.length === 1 ? '' : 's'} under your own mount ${m}${real(m) !== m ? ` (${real(m)} in the image: ${m} leads there through a symlink)` : ''}: covered by it`,
      evidence: uniqueSorted(events.map((e) => e.realPath)).slice(0, 20),
    });
  }
  findings.push(...symlinkFindings(input.fs.symlinks, mounts, facts));
  mounts.sort((a, b) => compareStrings(a.path, b.path));
  return { plan: { mounts }, findings: sortFindings(findings) };
}

/**
 * Mounts for the chosen directories. A nested mount exists to keep a shipped directory that
 * its outer mount would hide; an outer volume (seeded or persistent) hides nothing, since it
 * starts with the image's content, so mounts nested in one fold back into it and the plan is
 * made again (a database directory is one volume, not one per subdirectory written).
 */
function planChosen(
  chosen: Map<string, Chosen>,
  facts: ReadonlyMap<string, DirFacts>,
  execs: readonly WriteEvent[],
  ctx: AnalyzeInput & { readonly transient: ReadonlySet<string> },
): { mounts: Mount[]; findings: Finding[] } {
  for (;;) {
    const mounts: Mount[] = [];
    const findings: Finding[] = [];
    for (const c of [...chosen.values()].sort((a, b) => compareStrings(a.path, b.path))) {
      const exec = execs.some((e) => innermost(e.realPath, chosen) === c.path);
      const m = mountFor(c, facts.get(c.path), { ...ctx, exec, chosen });
      mounts.push(m.mount);
      findings.push(...m.findings);
    }
    const kinds = new Map(mounts.map((m) => [m.path, m.kind]));
    const fold = [...chosen.values()].filter((c) => c.nestedIn !== undefined && kinds.get(c.nestedIn) !== undefined && kinds.get(c.nestedIn) !== 'tmpfs');
    if (fold.length === 0) return { mounts, findings };
    for (const c of fold) {
      const parent = c.nestedIn;
      const outer = parent === undefined ? undefined : chosen.get(parent);
      if (!outer || parent === undefined) continue;
      outer.events.push(...c.events);
      chosen.delete(c.path);
      // Mounts nested in the folded one now sit in the outer volume.
      for (const d of chosen.values()) if (d.nestedIn === c.path) d.nestedIn = parent;
    }
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function systemWriteFinding(tree: string, events: readonly WriteEvent[]): Finding {
  return {
    kind: 'system-write',
    severity: 'error',
    path: tree,
    message: `the app writes straight into ${tree}, a system tree that cannot become a mount; change the app (or its configuration) to write into a directory of its own, then profile again`,
    evidence: uniqueSorted(events.map((e) => `${e.op} ${e.realPath}`)).slice(0, 20),
  };
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function sortFindings(fs: readonly Finding[]): Finding[] {
  const seen = new Map<string, Finding>();
  for (const f of fs) seen.set(`${f.kind}\0${f.path}`, f);
  return [...seen.values()].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || compareStrings(a.kind, b.kind) || compareStrings(a.path, b.path));
}
