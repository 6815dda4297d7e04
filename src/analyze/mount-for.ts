import type { DirFacts, ShippedEntry } from '../model/fs-facts.js';
import type { Finding, Mount } from '../model/mount-plan.js';
import type { WriteEvent } from '../model/write-event.js';
import { dataEvidence, isLogPath } from './classify.js';
import { compareStrings, isUnder } from './paths.js';
import type { AnalyzeInput } from './analyze-input.js';
import type { Chosen } from './select-mounts.js';
import { volumeName } from './volume-name.js';

/** One chosen directory → its Mount (kind, owner, mode, exec, size, reasons) and the findings it brings. */

const MiB = 1024 * 1024;
/** Smallest tmpfs proposed: enough for real traffic, not only for what the short exercise wrote. */
export const MIN_SIZE_BYTES = 64 * MiB;
/** Headroom over the bytes observed. */
export const SIZE_FACTOR = 4;
/** Paths listed in a mount's `covers`; `coversCount` has the total. */
export const MAX_COVERS = 100;

/** Size rule: max(64 MiB, or the floor given, 4 × bytes observed), rounded up to a whole MiB. */
export function sizeFor(observedBytes: number, floor = MIN_SIZE_BYTES): number {
  return Math.max(floor, Math.ceil((observedBytes * SIZE_FACTOR) / MiB) * MiB);
}

export function innermost(path: string, chosen: ReadonlyMap<string, Chosen>): string | undefined {
  for (let a = path; ; a = a.slice(0, Math.max(a.lastIndexOf('/'), 1))) {
    if (chosen.has(a)) return a;
    if (a === '/') return undefined;
  }
}

export interface MountContext extends AnalyzeInput {
  readonly exec: boolean;
  /** Paths created and removed during the run. */
  readonly transient: ReadonlySet<string>;
  readonly chosen: ReadonlyMap<string, Chosen>;
}

export function mountFor(c: Chosen, f: DirFacts | undefined, ctx: MountContext): { mount: Mount; findings: Finding[] } {
  const findings: Finding[] = [];
  const inImage = f !== undefined && f.exists && !f.created;
  const events = c.events;
  const { uid, gid, mode } = ownership(events, f, inImage);
  const observed = events.filter((e) => e.type !== 'dir' && (e.op === 'add' || e.op === 'modify')).reduce((n, e) => n + (e.size ?? 0), 0);
  const written = new Set(events.map((e) => e.realPath));
  const shipped = inImage ? (f?.shipped ?? []) : [];
  const modifiedShipped = events.filter((e) => e.op === 'modify' && e.type === 'file' && !isLogPath(e.realPath) && !dataEvidence(e));
  const edited = new Set(modifiedShipped.map((e) => e.realPath));
  const content = shipped.filter((s) => carriesContent(s, `${c.path}/${s.name}`, written, edited));
  const ephemeral = (ctx.ephemeral ?? []).some((p) => isUnder(c.path, p));
  const persisted = (ctx.persist ?? []).some((p) => isUnder(p, c.path) && innermost(p, ctx.chosen) === c.path);
  const data = ephemeral ? [] : uniqueSorted(events.map(dataEvidence).filter((x): x is string => x !== undefined));
  // The restart check: the second start of the writable run took up what the first one left.
  const carried = ephemeral ? [] : [...(ctx.state?.[c.path] ?? [])];
  const persistent = !ephemeral && (persisted || data.length > 0 || carried.length > 0);
  // --ephemeral means a tmpfs, whatever the content: the finding below says what it hides.
  const kind: Mount['kind'] = ephemeral ? 'tmpfs' : persistent ? 'volume' : content.length > 0 ? 'seeded' : 'tmpfs';
  const exec = ctx.exec || events.some((e) => e.type === 'file' && e.op !== 'delete' && ((e.mode ?? 0) & 0o111) !== 0);
  const shippedBytes = kind === 'seeded' ? shipped.reduce((n, s) => n + (s.type === 'file' ? s.size : 0), 0) : 0;
  const mount: Mount = {
    path: c.path,
    kind,
    ...(kind !== 'tmpfs' ? { volumeName: volumeName(ctx.image.ref, c.path, ctx.volumePrefix) } : {}),
    ...(!inImage ? { created: true } : {}),
    uid,
    gid,
    mode,
    exec,
    sizeBytes: sizeFor(observed + shippedBytes, ctx.minTmpfsBytes),
    covers: smallest(written, MAX_COVERS),
    coversCount: written.size,
    observedBytes: observed,
    reasons: reasonsFor(c, events, observed, inImage, persisted, ctx.transient, carried.length > 0),
    hides: shipped.map((s) => s.name),
  };

  if (modifiedShipped.length > 0) {
    findings.push({
      kind: 'modified-shipped-file',
      severity: 'warning',
      path: c.path,
      message: `the app edits ${modifiedShipped.length === 1 ? 'a file' : 'files'} the image ships in ${c.path}; under a read-only root the edit fails, so ${c.path} gets a ${kind === 'tmpfs' ? 'tmpfs' : `${kind} mount holding the image's content`}. Better: make the edit at build time (or write the result elsewhere) and drop this mount`,
      evidence: uniqueSorted(modifiedShipped.map((e) => e.realPath)),
    });
  }
  if (data.length > 0 || carried.length > 0) {
    const why =
      carried.length > 0
        ? `state the app takes up again when it starts next (a restart of the writable run showed it)${data.length > 0 ? ' and what looks like data' : ''}, outside any VOLUME: it must outlive the container, so it`
        : 'what looks like data that must outlive the container, outside any VOLUME: it';
    findings.push({
      kind: 'persistent-data',
      severity: 'warning',
      path: c.path,
      message: `${c.path} holds ${why} becomes the named volume "${mount.volumeName}", not a tmpfs (use --ephemeral ${c.path} if it is really a cache)`,
      evidence: [...data.slice(0, 20), ...carried].slice(0, 20),
    });
  }
  if (kind === 'seeded' || (kind === 'volume' && content.length > 0)) {
    findings.push({
      kind: 'seeded-content',
      severity: 'warning',
      path: c.path,
      message: `a plain mount on ${c.path} would hide ${content.length} shipped entr${content.length === 1 ? 'y' : 'ies'} with content the app may read, so the mount starts with the image's copy. Docker copies it into a new named volume on first use only: after an image upgrade the volume keeps the old content until you remove it`,
      evidence: content.map((s) => `${c.path}/${s.name}`).slice(0, 20),
    });
  } else if (content.length > 0) {
    findings.push({
      kind: 'shadowed-content',
      severity: 'warning',
      path: c.path,
      message: `--ephemeral keeps ${c.path} on a tmpfs, which hides ${content.length} shipped entr${content.length === 1 ? 'y' : 'ies'} with content the app may read`,
      evidence: content.map((s) => `${c.path}/${s.name}`).slice(0, 20),
    });
  } else if (shipped.length > 0) {
    findings.push({
      kind: 'shadowed-content',
      severity: 'info',
      path: c.path,
      message: `the mount on ${c.path} hides ${shipped.length} shipped entr${shipped.length === 1 ? 'y' : 'ies'} without content of their own (empty files and directories, or files the app rewrites)`,
      evidence: shipped.map((s) => `${c.path}/${s.name}`).slice(0, 20),
    });
  }
  if (kind !== 'tmpfs' && !inImage && uid !== 0) {
    findings.push({
      kind: 'volume-owner',
      severity: 'warning',
      path: c.path,
      message: `${c.path} is not in the image, so a new named volume there starts root-owned (0755) and user ${uid} cannot write it: create ${c.path} in the image owned by ${uid}:${gid}, or chown the volume once`,
      evidence: [],
    });
  }
  const logs = uniqueSorted(events.filter((e) => e.type !== 'dir' && e.op !== 'delete' && isLogPath(e.realPath)).map((e) => e.realPath));
  if (logs.length > 0) {
    findings.push({
      kind: 'log-file',
      severity: 'info',
      path: c.path,
      message: `the app logs to files in ${c.path}; consider sending them to stdout/stderr (for example by linking them to /dev/stdout in the image), or keep this mount${kind === 'tmpfs' ? ' (its size caps the logs)' : ''}`,
      evidence: logs.slice(0, 20),
    });
  }
  return { mount, findings };
}

/**
 * A hidden entry that matters: a symlink, a non-empty directory, a file with content the app
 * did not write, or a non-log file the app edits (its original content is the app's input).
 * Empty files and directories, and logs or data the app rewrites, are placeholders.
 */
function carriesContent(s: ShippedEntry, path: string, written: ReadonlySet<string>, edited: ReadonlySet<string>): boolean {
  if (s.type === 'symlink') return true;
  if (s.type === 'dir') return s.empty === false;
  if (!written.has(path)) return s.size > 0;
  return edited.has(path);
}

/**
 * Keep the image directory's owner and mode when the writer could write there already;
 * else the writer (the owner of what the app wrote) must own the mount. A directory the app
 * created keeps the owner and mode the app gave it.
 */
function ownership(events: readonly WriteEvent[], f: DirFacts | undefined, inImage: boolean): { uid: number; gid: number; mode: number } {
  const dir = { uid: f?.uid ?? 0, gid: f?.gid ?? 0, mode: f?.mode ?? 0o755 };
  if (!inImage) return dir;
  const writer = mostCommonOwner(events);
  if (!writer || canWrite(writer.uid, writer.gid, dir.uid, dir.gid, dir.mode)) return dir;
  return { uid: writer.uid, gid: writer.gid, mode: dir.mode };
}

export function volumeMount(path: string, events: readonly WriteEvent[], f: DirFacts | undefined, imageRef: string, prefix?: string): Mount {
  const paths = new Set(events.map((e) => e.realPath));
  const observed = events.filter((e) => e.type === 'file').reduce((n, e) => n + (e.size ?? 0), 0);
  return {
    path,
    kind: 'volume',
    volumeName: volumeName(imageRef, path, prefix),
    uid: f?.uid ?? 0,
    gid: f?.gid ?? 0,
    mode: f?.mode ?? 0o755,
    exec: events.some((e) => e.type === 'file' && ((e.mode ?? 0) & 0o111) !== 0),
    sizeBytes: sizeFor(observed),
    covers: smallest(paths, MAX_COVERS),
    coversCount: paths.size,
    observedBytes: observed,
    reasons: [`the image declares VOLUME ${path}, and the app wrote there (${paths.size} entr${paths.size === 1 ? 'y' : 'ies'}, ${observed} bytes)`],
    hides: [],
  };
}

function reasonsFor(c: Chosen, events: readonly WriteEvent[], observed: number, inImage: boolean, persisted: boolean, transient: ReadonlySet<string>, carried: boolean): string[] {
  const counts = new Map<string, number>();
  const sourceSet = new Set<string>();
  const removedHere = new Set<string>();
  for (const e of events) {
    counts.set(e.op, (counts.get(e.op) ?? 0) + 1);
    sourceSet.add(e.source);
    if (e.op === 'delete' && transient.has(e.realPath)) removedHere.add(e.realPath);
  }
  const ops = [...counts.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([op, n]) => `${op} ${n}`);
  // A mount that only keeps a shipped directory visible for a deeper one has no writes of its own.
  const refused = events.filter((e) => e.errno !== undefined);
  const wrote = events.length > refused.length;
  const out = wrote ? [`the app wrote here (${ops.join(', ')}; ${observed} bytes observed)`] : [];
  // A refused write is the hardened run's: the app needs to write here though the writable run did not get to.
  if (refused.length > 0) out.push(`the app was refused a write here under a read-only root (${smallest(new Set(refused.map((e) => `${e.errno} ${e.realPath}`)), 5).join(', ')})`);
  if (!inImage) out.push(`the app created ${c.path}; the runtime creates the mount point, and the parent's shipped entries stay visible`);
  if (c.widenedFrom) out.push(`widened from ${c.widenedFrom.join(', ')}: ${c.path} ships nothing a mount could hide`);
  if (c.nestedIn) out.push(`${c.path} ships in the image inside the mount on ${c.nestedIn}, which would hide it; this mount keeps it`);
  if (persisted) out.push(`--persist ${c.path}: kept on a named volume`);
  if (carried) out.push('the app takes up what it left here when it starts again (restart check): kept on a named volume');
  if (removedHere.size > 0) out.push(`created and removed during the run: ${smallest(removedHere, 10).join(', ')}`);
  const sources = [...sourceSet].sort(compareStrings);
  if (sources.length > 0) out.push(`seen by: ${sources.join(', ')}`);
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

/** The n smallest strings of a set, sorted, without sorting the whole set. */
export function smallest(xs: Iterable<string>, n: number): string[] {
  const out: string[] = [];
  for (const x of xs) {
    if (out.length === n && compareStrings(x, out[n - 1]!) >= 0) continue;
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareStrings(out[mid]!, x) < 0) lo = mid + 1;
      else hi = mid;
    }
    out.splice(lo, 0, x);
    if (out.length > n) out.pop();
  }
  return out;
}

export function uniqueSorted(xs: readonly string[]): string[] {
  return [...new Set(xs)].sort(compareStrings);
}

