import type { ImageFacts } from '../model/image-facts.js';
import type { DirFacts, FsFacts } from '../model/fs-facts.js';
import type { Finding, Mount, MountPlan } from '../model/mount-plan.js';
import type { WriteEvent } from '../model/write-event.js';
import { compareStrings, isSystemTree, isUnder, parentOf } from './paths.js';

export interface AnalyzeInput {
  readonly image: ImageFacts;
  readonly events: readonly WriteEvent[];
  readonly fs: FsFacts;
  /** Targets of the user's -v/--mount: writes below them are already covered. */
  readonly userMounts: readonly string[];
}

export interface Analysis {
  readonly plan: MountPlan;
  readonly findings: readonly Finding[];
}

const MiB = 1024 * 1024;
/** Smallest tmpfs proposed: enough for real traffic, not only for what the short exercise wrote. */
export const MIN_SIZE_BYTES = 64 * MiB;
/** Headroom over the bytes observed. */
export const SIZE_FACTOR = 4;

/** Size rule: max(64 MiB, 4 × observed bytes), rounded up to a whole MiB. */
export function sizeFor(observedBytes: number): number {
  return Math.max(MIN_SIZE_BYTES, Math.ceil((observedBytes * SIZE_FACTOR) / MiB) * MiB);
}

/**
 * From observed writes to mounts. Pure: the same input gives the same plan, byte for byte.
 * Every write not covered by the user's own mounts or a declared volume falls under exactly
 * one mount, or under a finding when it lands straight in a system tree.
 */
export function planMounts(input: AnalyzeInput): Analysis {
  const findings: Finding[] = [];
  const covered = [...input.userMounts, ...input.image.volumes];
  const writes: WriteEvent[] = [];
  for (const e of input.events) {
    const by = covered.find((m) => isUnder(e.realPath, m));
    if (by === undefined) writes.push(e);
  }
  for (const v of input.image.volumes) {
    findings.push({
      kind: 'declared-volume',
      severity: 'info',
      path: v,
      message: `the image declares VOLUME ${v}; Docker keeps it writable as an anonymous volume even under --read-only`,
      evidence: [],
    });
  }
  const groups = groupByWriteDir(writes);
  const candidates = [...groups.keys()].sort(compareStrings);
  // A candidate below another candidate is served by the outer mount. A system tree never
  // becomes a mount, so it serves nothing: the directories below it keep their own mounts.
  const roots = candidates.filter((c) => isSystemTree(c) || !candidates.some((o) => o !== c && !isSystemTree(o) && isUnder(c, o)));
  const mounts: Mount[] = [];
  const factsByPath = new Map(input.fs.dirs.map((d) => [d.path, d]));
  for (const root of roots) {
    const events = isSystemTree(root) ? (groups.get(root) ?? []) : candidates.filter((c) => isUnder(c, root)).flatMap((c) => groups.get(c) ?? []);
    if (isSystemTree(root)) {
      findings.push({
        kind: 'system-write',
        severity: 'error',
        path: root,
        message: `the app writes straight into ${root}, a system tree that cannot become a mount; change the app to write elsewhere (or point the file at a writable directory)`,
        evidence: uniqueSorted(events.map((e) => `${e.op} ${e.realPath}`)),
      });
      continue;
    }
    const mount = mountFor(root, events, factsByPath.get(root));
    mounts.push(mount);
    if (mount.hides.length > 0) {
      findings.push({
        kind: 'shadowed-content',
        severity: 'warning',
        path: root,
        message: `a mount on ${root} hides ${mount.hides.length} entr${mount.hides.length === 1 ? 'y' : 'ies'} the image ships there`,
        evidence: mount.hides.slice(0, 20),
      });
    }
  }
  for (const e of writes) {
    if ((e.op === 'add' || e.op === 'modify' || e.op === 'open-write') && /\.log$|^\/var\/log\//.test(e.realPath) && e.type !== 'dir') {
      findings.push({
        kind: 'log-file',
        severity: 'info',
        path: e.realPath,
        message: `the app logs to ${e.realPath}; consider sending it to stdout, or keep the mount`,
        evidence: [],
      });
    }
  }
  return { plan: { mounts: mounts.sort((a, b) => compareStrings(a.path, b.path)) }, findings: dedupeFindings(findings) };
}

/** Groups events by the directory each writes into (see writeDirOf). */
function groupByWriteDir(events: readonly WriteEvent[]): Map<string, WriteEvent[]> {
  const added = new Set(events.filter((e) => e.op === 'add').map((e) => e.realPath));
  const paths = events.map((e) => e.realPath);
  const groups = new Map<string, WriteEvent[]>();
  for (const e of events) {
    const dir = writeDirOf(e, added, paths);
    const g = groups.get(dir) ?? [];
    g.push(e);
    groups.set(dir, g);
  }
  return groups;
}

/**
 * The directory that must be writable for this event: for a created path, the parent of the
 * topmost created directory above it; for a directory modified with nothing changed below it
 * (a file created and removed inside), that directory; else the parent.
 */
export function writeDirOf(e: WriteEvent, added: ReadonlySet<string>, allPaths: readonly string[]): string {
  if (e.type === 'dir' && e.op === 'modify' && !allPaths.some((p) => p !== e.realPath && isUnder(p, e.realPath))) {
    return e.realPath;
  }
  let top = e.realPath;
  while (parentOf(top) !== '/' && added.has(parentOf(top))) top = parentOf(top);
  return parentOf(top);
}

function mountFor(path: string, events: readonly WriteEvent[], facts: DirFacts | undefined): Mount {
  const dirUid = facts?.uid ?? 0;
  const dirGid = facts?.gid ?? 0;
  const mode = facts?.mode ?? 0o755;
  const writer = mostCommonOwner(events);
  // Keep the image's owner where the writer could already write there; else the writer must own it.
  const keep = writer === undefined || canWrite(writer.uid, writer.gid, dirUid, dirGid, mode);
  const observed = events.filter((e) => e.type === 'file' && (e.op === 'add' || e.op === 'modify')).reduce((n, e) => n + (e.size ?? 0), 0);
  const exec = events.some((e) => e.op === 'exec' || (e.type === 'file' && e.op !== 'delete' && ((e.mode ?? 0) & 0o111) !== 0));
  return {
    path,
    kind: 'tmpfs',
    uid: keep ? dirUid : writer.uid,
    gid: keep ? dirGid : writer.gid,
    mode,
    exec,
    sizeBytes: sizeFor(observed),
    covers: uniqueSorted(events.map((e) => e.realPath)),
    reasons: reasonsFor(events, observed),
    hides: [...(facts?.shipped ?? [])],
  };
}

function reasonsFor(events: readonly WriteEvent[], observed: number): string[] {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.op, (counts.get(e.op) ?? 0) + 1);
  const ops = [...counts.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([op, n]) => `${op} ${n}`);
  const transient = events.filter((e) => e.op === 'delete' && events.some((o) => o.op === 'add' && o.realPath === e.realPath));
  const out = [`the app wrote here (${ops.join(', ')}; ${observed} bytes observed)`];
  if (transient.length > 0) out.push(`created and removed during the run: ${uniqueSorted(transient.map((e) => e.realPath)).join(', ')}`);
  return out;
}

function mostCommonOwner(events: readonly WriteEvent[]): { uid: number; gid: number } | undefined {
  const counts = new Map<string, number>();
  for (const e of events) {
    if (e.uid === undefined || e.gid === undefined || e.op === 'delete') continue;
    const k = `${e.uid}:${e.gid}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort(([ka, a], [kb, b]) => b - a || compareStrings(ka, kb))[0];
  if (!best) return undefined;
  const [uid, gid] = best[0].split(':').map(Number);
  return { uid: uid ?? 0, gid: gid ?? 0 };
}

export function canWrite(uid: number, gid: number, dirUid: number, dirGid: number, mode: number): boolean {
  if (uid === 0) return true;
  if (uid === dirUid) return (mode & 0o300) === 0o300;
  if (gid === dirGid) return (mode & 0o030) === 0o030;
  return (mode & 0o003) === 0o003;
}

function uniqueSorted(xs: readonly string[]): string[] {
  return [...new Set(xs)].sort(compareStrings);
}

function dedupeFindings(fs: readonly Finding[]): Finding[] {
  const seen = new Map<string, Finding>();
  for (const f of fs) seen.set(`${f.kind}\0${f.path}`, f);
  return [...seen.values()].sort((a, b) => compareStrings(a.kind, b.kind) || compareStrings(a.path, b.path));
}
