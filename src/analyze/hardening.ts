import {
  ARBITRARY_UID,
  DOCKER_DEFAULT_CAPS,
  FALLBACK_NONROOT_UID,
  type Hardening,
  type HardenLevel,
  type HardenRequest,
  type KeptCapability,
  type ProcessInfo,
} from '../model/hardening.js';
import type { Mount } from '../model/mount-plan.js';
import type { ProbeResult } from '../model/result.js';
import type { WriteEvent } from '../model/write-event.js';

/** What the writable run showed about the app's user and privileges. Pure inputs, from the profile. */
export interface PrivilegeFacts {
  /** The container's processes while it ran (empty when the engine could not list them, or a job had ended). */
  readonly processes: readonly ProcessInfo[];
  /** The first process's pid on the host (the container's init), 0 when unknown. */
  readonly initPid: number;
  /** The user the container starts as (the image's USER or --user), numeric, from the image's /etc/passwd; undefined when that cannot say. */
  readonly startUser?: { readonly uid: number; readonly gid: number };
  readonly probes: readonly ProbeResult[];
  readonly events: readonly WriteEvent[];
}

/** The container's first process: the init, or the lowest pid when the init is not listed. */
function initProcess(f: PrivilegeFacts): ProcessInfo | undefined {
  return f.processes.find((p) => p.pid === f.initPid) ?? [...f.processes].sort((a, b) => a.pid - b.pid)[0];
}

/**
 * The numeric user the app starts as: the image's USER (or --user) as its /etc/passwd resolves
 * it, which is what the engine starts it as. Not the processes' users: an app that starts as root
 * and drops to another user itself (varnishd, lighttpd) still needs root to start. The first
 * process's user only when the image's files could not say.
 */
export function startUserOf(f: PrivilegeFacts): { uid: number; gid: number } | undefined {
  if (f.startUser) return f.startUser;
  const init = initProcess(f);
  return init ? { uid: init.uid, gid: init.gid } : undefined;
}

/**
 * The non-root user a root image is tried as: the user its own workers switch to (the app
 * already runs its work as that user), else FALLBACK_NONROOT_UID.
 */
export function nonRootCandidate(f: PrivilegeFacts): { uid: number; gid: number } {
  const counts = new Map<string, { uid: number; gid: number; n: number }>();
  for (const p of f.processes) {
    if (p.uid === 0) continue;
    const k = `${p.uid}:${p.gid}`;
    const c = counts.get(k) ?? { uid: p.uid, gid: p.gid, n: 0 };
    c.n++;
    counts.set(k, c);
  }
  const best = [...counts.values()].sort((a, b) => b.n - a.n || a.uid - b.uid)[0];
  return best ? { uid: best.uid, gid: best.gid } : { uid: FALLBACK_NONROOT_UID, gid: FALLBACK_NONROOT_UID };
}

/** A capability the writable run's evidence points to, with its reason and the unprivileged way. */
export interface CapabilityHint {
  readonly name: string;
  readonly reason: string;
  readonly alternative?: string;
}

/**
 * Capabilities a root app's run shows it uses: a port below 1024 it answered on, processes of
 * other users (it switched user), files it created owned by a user none of its processes ran
 * as (it chowned them). Only a starting point: verification decides what stays.
 */
export function capabilityHints(f: PrivilegeFacts): CapabilityHint[] {
  const start = startUserOf(f);
  if (start && start.uid !== 0) return [];
  const out: CapabilityHint[] = [];
  const low = [...new Set(f.probes.filter((p) => p.ok && p.port < 1024).map((p) => p.port))].sort((a, b) => a - b);
  if (low.length > 0) out.push(reasonFor('NET_BIND_SERVICE', { ports: low }));
  const others = [...new Set(f.processes.filter((p) => p.uid !== 0).map((p) => `${p.uid}:${p.gid}`))].sort();
  if (others.length > 0) {
    out.push(reasonFor('SETGID', { users: others }), reasonFor('SETUID', { users: others }));
  }
  const runUids = new Set([0, ...f.processes.map((p) => p.uid)]);
  const chowned = f.events.filter((e) => (e.op === 'add' || e.op === 'modify') && e.uid !== undefined && !runUids.has(e.uid)).map((e) => e.realPath);
  if (chowned.length > 0) out.push(reasonFor('CHOWN', { paths: [...new Set(chowned)].sort().slice(0, 3) }));
  return out;
}

/** What the evidence says a capability is for, and how to do without it. */
export function reasonFor(name: string, ctx: { ports?: readonly number[]; users?: readonly string[]; paths?: readonly string[] } = {}): CapabilityHint {
  switch (name) {
    case 'NET_BIND_SERVICE':
      return {
        name,
        reason: ctx.ports?.length ? `binds port ${ctx.ports.join(', ')} (below 1024, which only a privileged process may bind)` : 'binds a port below 1024',
        alternative: `listen on a port above 1024 (e.g. ${ctx.ports?.length ? ctx.ports.map((p) => p + 8000).join(', ') : '8080'}) and publish or map it to ${ctx.ports?.length ? ctx.ports.join(', ') : 'the low port'} (docker -p 80:8080, a Service's targetPort)`,
      };
    case 'SETUID':
    case 'SETGID':
      return {
        name,
        reason: `starts as root and switches to ${ctx.users?.length ? `uid:gid ${ctx.users.join(', ')}` : 'another user'} (${name === 'SETUID' ? 'setuid' : 'setgid/setgroups'})`,
        alternative: `run it as ${ctx.users?.[0] ?? 'that user'} from the start (--user / runAsUser), with its ports above 1024, if the image supports that`,
      };
    case 'CHOWN':
      return {
        name,
        reason: `changes the owner of files it creates${ctx.paths?.length ? ` (${ctx.paths.join(', ')})` : ''}`,
        alternative: 'give those directories their owner in the image (RUN chown), or the mount the owner (uid=/gid=, fsGroup)',
      };
    case 'DAC_OVERRIDE':
      return { name, reason: 'reads or writes files its user does not own (root overriding file permissions)', alternative: 'give the files it writes the app\'s owner in the image' };
    case 'FOWNER':
      return { name, reason: 'changes the mode or times of files it does not own', alternative: 'give those files the app\'s owner in the image' };
    case 'FSETID':
      return { name, reason: 'keeps setuid/setgid bits on files it changes' };
    case 'KILL':
      return { name, reason: 'signals processes of another user (its own workers)' };
    case 'NET_RAW':
      return { name, reason: 'opens raw or packet sockets (ping, ICMP health checks)', alternative: 'use a TCP or HTTP check instead of ICMP' };
    case 'SYS_CHROOT':
      return { name, reason: 'chroots (a privilege-separated worker)' };
    case 'MKNOD':
      return { name, reason: 'creates device nodes' };
    case 'SETPCAP':
      return { name, reason: 'changes its own capability sets (drops them itself)' };
    case 'SETFCAP':
      return { name, reason: 'sets file capabilities' };
    case 'AUDIT_WRITE':
      return { name, reason: 'writes to the kernel audit log (PAM, su, login)' };
    default:
      return { name, reason: 'the run broke without it' };
  }
}

/** The capabilities not hinted, in the order a search adds them back: the likeliest first. */
export function remainingDefaults(hinted: readonly string[]): string[] {
  const order = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETUID', 'SETGID', 'NET_BIND_SERVICE', 'KILL', 'FSETID', 'SETPCAP', 'SYS_CHROOT', 'NET_RAW', 'AUDIT_WRITE', 'MKNOD', 'SETFCAP'];
  const all = new Set<string>(DOCKER_DEFAULT_CAPS);
  return order.filter((c) => all.has(c) && !hinted.includes(c));
}

/** The levels `requested` allows, strongest first, down to (not including) off. */
export function levelsToTry(requested: HardenRequest): HardenLevel[] {
  if (requested === 'auto') return ['restricted', 'drop-caps'];
  return requested === 'off' ? [] : [requested];
}

/** The settings of one level, before verification: capabilities to keep, the user. */
export function settingsFor(level: HardenLevel, requested: HardenRequest, user: { uid: number; gid: number } | undefined, capAdd: readonly KeptCapability[] = []): Hardening {
  const base = { requested, level, noNewPrivileges: true as const, seccomp: 'RuntimeDefault' as const, verified: false, rejected: [] };
  switch (level) {
    case 'off':
      return { ...base, capDrop: [], capAdd: [] };
    case 'drop-caps':
      return { ...base, capDrop: ['ALL'], capAdd: [...capAdd].sort((a, b) => (a.name < b.name ? -1 : 1)) };
    case 'restricted':
      return { ...base, capDrop: ['ALL'], capAdd: [], ...(user ? { user } : {}) };
    case 'openshift':
      return { ...base, capDrop: ['ALL'], capAdd: [], user: { uid: ARBITRARY_UID, gid: 0 }, arbitraryUid: true };
  }
}

/** Can this user write a directory with this owner and mode? */
export function canWrite(user: { uid: number; gid: number }, m: { uid: number; gid: number; mode: number }, groups: readonly number[] = []): boolean {
  if (user.uid === 0) return true;
  if (m.uid === user.uid) return (m.mode & 0o300) === 0o300;
  if (m.gid === user.gid || groups.includes(m.gid)) return (m.mode & 0o030) === 0o030;
  return (m.mode & 0o003) === 0o003;
}

/**
 * The mounts as a non-root run needs them: a tmpfs the user cannot write becomes theirs
 * (`uid=`/`gid=`; runc keeps the image directory's mode), or, for an arbitrary UID, group 0's
 * with group write, as OpenShift images are built. A volume keeps the image's ownership (Docker
 * copies it in): whether the user can write it is what `unwritableVolumes` says.
 */
export function mountsOwnedFor(mounts: readonly Mount[], user: { uid: number; gid: number } | undefined, arbitrary: boolean): Mount[] {
  if (!user || user.uid === 0) return [...mounts];
  return mounts.map((m) => {
    if (m.kind !== 'tmpfs' || canWrite(user, m)) return m;
    return arbitrary ? { ...m, uid: user.uid, gid: 0, mode: m.mode | 0o070 } : { ...m, uid: user.uid, gid: user.gid };
  });
}

/** Volumes (and seeded mounts) whose image directory the user cannot write: Docker copies that owner into the volume. */
export function unwritableVolumes(mounts: readonly Mount[], user: { uid: number; gid: number } | undefined): Mount[] {
  if (!user || user.uid === 0) return [];
  return mounts.filter((m) => m.kind !== 'tmpfs' && !canWrite(user, m));
}

/** `uid:gid` for flags and messages. */
export function userString(u: { uid: number; gid: number }): string {
  return `${u.uid}:${u.gid}`;
}

/** Parses /etc/passwd and /etc/group for a user given by name or number (USER app, USER 1000:app). */
export function resolveUser(user: string, passwd: string, group: string): { uid: number; gid: number } | undefined {
  if (user === '') return { uid: 0, gid: 0 };
  const [u, g] = user.split(':') as [string, string | undefined];
  const users = passwd.split('\n').map((l) => l.split(':')).filter((f) => f.length >= 4);
  const groups = group.split('\n').map((l) => l.split(':')).filter((f) => f.length >= 3);
  const entry = /^\d+$/.test(u) ? users.find((f) => f[2] === u) : users.find((f) => f[0] === u);
  const uid = /^\d+$/.test(u) ? Number(u) : entry ? Number(entry[2]) : undefined;
  if (uid === undefined) return undefined;
  let gid: number | undefined;
  // Docker gives a user with no passwd entry group 0.
  if (g === undefined) gid = entry ? Number(entry[3]) : 0;
  else if (/^\d+$/.test(g)) gid = Number(g);
  else {
    const ge = groups.find((f) => f[0] === g);
    gid = ge ? Number(ge[2]) : undefined;
  }
  return gid === undefined ? undefined : { uid, gid };
}
