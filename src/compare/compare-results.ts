import { DOCKER_DEFAULT_CAPS, HARDEN_LEVELS, type Hardening } from '../model/hardening.js';
import type { Mount } from '../model/mount-plan.js';
import type { Result } from '../model/result.js';
import { DIFF_KINDS, type DiffChange, type DiffKind, type ResultDiff } from './diff-model.js';

/**
 * Pure: what changed from an old result to a new one, as far as the config's security goes:
 * its writable mounts, their owner, mode and exec, the process settings, the verification, and
 * the image. No I/O; the files are named only to say which is which.
 */

/** `path` is `dir` or below it. */
function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);
}

const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0');
const owner = (m: Mount) => `${m.uid}:${m.gid}`;
const describeKind = (m: Mount) => (m.kind === 'tmpfs' ? `tmpfs (${m.sizeBytes} bytes)` : m.kind);

/** How the mount itself changed, for the same directory or one it moved to. */
function mountAttributes(o: Mount, n: Mount): DiffChange[] {
  const out: DiffChange[] = [];
  const at = n.path;
  if (o.kind === 'tmpfs' && n.kind !== 'tmpfs') out.push({ kind: 'widened-mount', path: at, message: `the tmpfs became a ${n.kind}: what the app writes there now persists`, old: describeKind(o), new: describeKind(n) });
  else if (o.kind !== 'tmpfs' && n.kind === 'tmpfs') out.push({ kind: 'narrowed-mount', path: at, message: `the ${o.kind} became a tmpfs`, old: describeKind(o), new: describeKind(n) });
  else if (o.kind === 'tmpfs' && n.kind === 'tmpfs' && n.sizeBytes !== o.sizeBytes) {
    out.push({ kind: n.sizeBytes > o.sizeBytes ? 'widened-mount' : 'narrowed-mount', path: at, message: `the tmpfs ${n.sizeBytes > o.sizeBytes ? 'grew' : 'shrank'} from ${o.sizeBytes} to ${n.sizeBytes} bytes`, old: String(o.sizeBytes), new: String(n.sizeBytes) });
  }
  if ((n.mode & 0o7777) !== (o.mode & 0o7777)) {
    // Looser: a permission bit the old mode did not grant (setuid and sticky bits count as bits).
    const looser = (n.mode & ~o.mode & 0o7777) !== 0;
    out.push({ kind: looser ? 'widened-mount' : 'narrowed-mount', path: at, message: `mode ${octal(o.mode)} became ${octal(n.mode)}${looser ? ', which grants more' : ''}`, old: octal(o.mode), new: octal(n.mode) });
  }
  if (n.uid !== o.uid || n.gid !== o.gid) out.push({ kind: 'changed-owner', path: at, message: `owner ${owner(o)} became ${owner(n)}`, old: owner(o), new: owner(n) });
  if (!o.exec && n.exec) out.push({ kind: 'exec-allowed', path: at, message: 'noexec was dropped: programs written there can run', old: 'noexec', new: 'exec' });
  if (o.exec && !n.exec) out.push({ kind: 'exec-removed', path: at, message: 'the mount is noexec now', old: 'exec', new: 'noexec' });
  return out;
}

function compareMounts(old: readonly Mount[], next: readonly Mount[]): DiffChange[] {
  const out: DiffChange[] = [];
  for (const n of next) {
    const same = old.find((o) => o.path === n.path);
    if (same) {
      out.push(...mountAttributes(same, n));
      continue;
    }
    const below = old.filter((o) => within(o.path, n.path));
    if (below.length > 0) {
      out.push({ kind: 'widened-mount', path: n.path, message: `moved up from ${below.map((o) => o.path).join(', ')}: everything under ${n.path} is writable now`, old: below.map((o) => o.path).join(', '), new: n.path });
      for (const o of below) out.push(...mountAttributes(o, n));
      continue;
    }
    const above = old.find((o) => within(n.path, o.path));
    if (above) {
      // Inside a directory that was writable already: nothing new is writable, at most how it is.
      const kept = next.some((x) => x.path === above.path);
      out.push({ kind: 'narrowed-mount', path: n.path, message: kept ? `a mount of its own inside ${above.path}` : `moved down from ${above.path}`, old: above.path, new: n.path });
      if (!kept) out.push(...mountAttributes(above, n));
      continue;
    }
    out.push({ kind: 'new-writable-path', path: n.path, message: `${describeKind(n)} owned by ${owner(n)}, mode ${octal(n.mode)}${n.exec ? ', exec' : ''}: no mount covered it before`, new: n.kind });
  }
  for (const o of old) {
    // Still writable through a mount at it, above it (moved up) or below it (moved down, reported with the new mount).
    if (next.some((n) => within(o.path, n.path) || within(n.path, o.path))) continue;
    out.push({ kind: 'dropped-mount', path: o.path, message: `no longer writable (was ${describeKind(o)})`, old: o.kind });
  }
  return out;
}

/** Strongest first, as HARDEN_LEVELS lists them; a result made before levels ran with the engine's defaults, as `off` does. */
const strength = (h: Hardening | undefined) => (h ? HARDEN_LEVELS.indexOf(h.level) : HARDEN_LEVELS.indexOf('off'));
const levelName = (h: Hardening | undefined) => (h ? h.level : 'none recorded (the engine defaults)');

function capabilities(h: Hardening | undefined): Set<string> {
  if (!h || h.capDrop.length === 0) return new Set([...DOCKER_DEFAULT_CAPS, ...(h?.capAdd.map((c) => c.name) ?? [])]);
  return new Set(h.capAdd.map((c) => c.name));
}

/** The user the config runs as: the level's numeric user, else --user, else the image's. */
function runsAs(r: Result): string {
  if (r.hardening?.user) return `${r.hardening.user.uid}:${r.hardening.user.gid}`;
  return r.run.user ?? r.image.user;
}

function isRoot(user: string): boolean {
  const name = user.split(':')[0] ?? '';
  return name === '' || name === 'root' || name === '0';
}

function compareProcess(old: Result, next: Result): DiffChange[] {
  const out: DiffChange[] = [];
  const [ho, hn] = [old.hardening, next.hardening];
  const [so, sn] = [strength(ho), strength(hn)];
  if (sn > so || (ho && !hn)) out.push({ kind: 'weaker-hardening', message: `--harden level ${levelName(ho)} became ${levelName(hn)}`, old: levelName(ho), new: levelName(hn) });
  else if (sn < so) out.push({ kind: 'stronger-hardening', message: `--harden level ${levelName(ho)} became ${levelName(hn)}`, old: levelName(ho), new: levelName(hn) });
  const [co, cn] = [capabilities(ho), capabilities(hn)];
  for (const c of [...cn].filter((x) => !co.has(x)).sort()) {
    const why = hn?.capAdd.find((k) => k.name === c)?.reason;
    out.push({ kind: 'capability-added', message: `capability ${c} is kept${why ? `: ${why}` : ''}`, new: c });
  }
  for (const c of [...co].filter((x) => !cn.has(x)).sort()) out.push({ kind: 'capability-removed', message: `capability ${c} is dropped now`, old: c });
  const [uo, un] = [runsAs(old), runsAs(next)];
  if (isRoot(un) && !isRoot(uo)) out.push({ kind: 'user-root', message: `runs as ${un || 'root'} (was ${uo})`, old: uo, new: un || 'root' });
  return out;
}

function compareVerification(old: Result, next: Result): DiffChange[] {
  const out: DiffChange[] = [];
  const last = (r: Result, format: string) => r.verification.filter((v) => v.format === format).at(-1);
  const formats = [...new Set(old.verification.map((v) => v.format))].sort();
  for (const f of formats) {
    if (last(old, f)?.result !== 'pass') continue;
    const now = last(next, f);
    if (now?.result === 'pass') continue;
    out.push({ kind: 'verification-lost', message: now ? `verification with ${f} on ${now.runtime} ${now.version} failed` : `not verified with ${f} (was on ${last(old, f)?.runtime ?? '?'})`, old: 'pass', new: now ? 'fail' : 'not run' });
  }
  if (old.hardening?.verified && next.hardening && !next.hardening.verified && old.verification.at(-1)?.result === 'pass' && next.verification.at(-1)?.result === 'pass') {
    out.push({ kind: 'verification-lost', message: `--harden ${next.hardening.level} did not verify`, old: 'pass', new: 'fail' });
  }
  return out;
}

function compareImage(old: Result, next: Result): DiffChange[] {
  const digests = (r: Result) => [...r.image.repoDigests].sort().join(' ');
  if (old.image.id === next.image.id && digests(old) === digests(next)) return [];
  const name = (r: Result) => `${r.image.ref} (${r.image.id}${r.image.repoDigests.length > 0 ? `, ${r.image.repoDigests.join(', ')}` : ''})`;
  return [{ kind: 'image-changed', message: `${name(old)} became ${name(next)}`, old: old.image.id, new: next.image.id }];
}

const rank = (k: DiffKind) => DIFF_KINDS.indexOf(k);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compareResults(old: Result, next: Result, files: { readonly old: string; readonly new: string }): ResultDiff {
  const changes = [...compareMounts(old.plan.mounts, next.plan.mounts), ...compareProcess(old, next), ...compareVerification(old, next), ...compareImage(old, next)];
  changes.sort((a, b) => rank(a.kind) - rank(b.kind) || cmp(a.path ?? '', b.path ?? '') || cmp(a.message, b.message));
  const side = (r: Result, file: string) => ({ file, image: r.image.ref, imageId: r.image.id });
  return { old: side(old, files.old), new: side(next, files.new), changes };
}
