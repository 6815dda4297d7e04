import { describe, expect, it } from 'vitest';
import {
  canWrite,
  capabilityHints,
  levelsToTry,
  mountsOwnedFor,
  nonRootCandidate,
  reasonFor,
  remainingDefaults,
  resolveUser,
  settingsFor,
  startUserOf,
  unwritableVolumes,
  userString,
  type PrivilegeFacts,
} from '../../../src/analyze/hardening.js';
import { ARBITRARY_UID, DOCKER_DEFAULT_CAPS, FALLBACK_NONROOT_UID, type ProcessInfo } from '../../../src/model/hardening.js';
import type { ProbeResult } from '../../../src/model/result.js';
import { sampleEvent, sampleMount } from '../../helpers/samples.js';

const proc = (pid: number, uid: number, gid: number, command = `/bin/p${pid}`): ProcessInfo => ({ pid, uid, gid, command });
const facts = (over: Partial<PrivilegeFacts> = {}): PrivilegeFacts => ({ processes: [], initPid: 0, probes: [], events: [], ...over });
const probe = (port: number, ok: boolean): ProbeResult => ({ port, kind: 'tcp', ok });

describe('startUserOf', () => {
  it('is the init process\'s user, found by its host pid, not the lowest pid', () => {
    const f = facts({ processes: [proc(100, 33, 33), proc(200, 0, 0)], initPid: 200 });
    expect(startUserOf(f)).toEqual({ uid: 0, gid: 0 });
  });

  it('falls back to the lowest pid when the init is not listed', () => {
    const f = facts({ processes: [proc(300, 0, 0), proc(120, 1000, 1001), proc(250, 33, 33)], initPid: 7 });
    expect(startUserOf(f)).toEqual({ uid: 1000, gid: 1001 });
  });

  it('takes the image\'s user over the processes\' (an app that starts as root and drops to another user itself still starts as root)', () => {
    // varnishd: the image has no USER, its manager runs as varnish (100) once started.
    expect(startUserOf(facts({ processes: [proc(1, 100, 101)], initPid: 1, startUser: { uid: 0, gid: 0 } }))).toEqual({ uid: 0, gid: 0 });
    expect(startUserOf(facts({ startUser: { uid: 1000, gid: 1000 } }))).toEqual({ uid: 1000, gid: 1000 });
    expect(startUserOf(facts())).toBeUndefined();
  });
});

describe('nonRootCandidate', () => {
  it('picks the non-root user most of the workers run as', () => {
    const f = facts({ processes: [proc(1, 0, 0), proc(2, 33, 33), proc(3, 101, 101), proc(4, 101, 101), proc(5, 33, 33), proc(6, 101, 101)], initPid: 1 });
    expect(nonRootCandidate(f)).toEqual({ uid: 101, gid: 101 });
  });

  it('counts uid and gid together, and breaks a tie by the lower uid', () => {
    const f = facts({ processes: [proc(1, 0, 0), proc(2, 500, 500), proc(3, 70, 70), proc(4, 500, 501)], initPid: 1 });
    expect(nonRootCandidate(f)).toEqual({ uid: 70, gid: 70 });
  });

  it('never picks root, however many root processes there are, and falls back to 65532', () => {
    const f = facts({ processes: [proc(1, 0, 0), proc(2, 0, 0), proc(3, 0, 1)], initPid: 1 });
    expect(nonRootCandidate(f)).toEqual({ uid: FALLBACK_NONROOT_UID, gid: FALLBACK_NONROOT_UID });
    expect(FALLBACK_NONROOT_UID).toBe(65532);
    expect(nonRootCandidate(facts())).toEqual({ uid: 65532, gid: 65532 });
  });
});

describe('capabilityHints', () => {
  const rootInit = proc(1, 0, 0, 'nginx: master process');
  const names = (f: PrivilegeFacts) => capabilityHints(f).map((h) => h.name);

  it('gives nothing for a root app that showed none of the signs', () => {
    expect(capabilityHints(facts({ processes: [rootInit], initPid: 1, probes: [probe(8080, true)] }))).toEqual([]);
  });

  it('gives NET_BIND_SERVICE only for a port below 1024 a probe answered on', () => {
    expect(names(facts({ processes: [rootInit], initPid: 1, probes: [probe(80, false)] }))).toEqual([]);
    expect(names(facts({ processes: [rootInit], initPid: 1, probes: [probe(1024, true)] }))).toEqual([]);
    const hints = capabilityHints(facts({ processes: [rootInit], initPid: 1, probes: [probe(443, true), probe(80, true), probe(80, true), probe(8080, true), probe(22, false)] }));
    expect(hints.map((h) => h.name)).toEqual(['NET_BIND_SERVICE']);
    // Each low port once, in order; the failed one and the high one are no evidence.
    expect(hints[0]!.reason).toBe('binds port 80, 443 (below 1024, which only a privileged process may bind)');
    expect(hints[0]!.alternative).toContain('8080, 8443');
  });

  it('gives SETGID and SETUID when a non-root process runs beside a root init', () => {
    const hints = capabilityHints(facts({ processes: [rootInit, proc(2, 101, 101, 'nginx: worker'), proc(3, 101, 101, 'nginx: worker'), proc(4, 33, 34)], initPid: 1 }));
    expect(hints.map((h) => h.name)).toEqual(['SETGID', 'SETUID']);
    expect(hints[0]!.reason).toContain('uid:gid 101:101, 33:34');
    expect(hints[1]!.reason).toContain('(setuid)');
    expect(hints[0]!.reason).toContain('(setgid/setgroups)');
  });

  it('gives CHOWN only for created files owned by a uid none of the processes ran as', () => {
    const base = { processes: [rootInit, proc(2, 101, 101)], initPid: 1 };
    // Written by the worker (101) or by root: no chown needed.
    expect(names(facts({ ...base, events: [sampleEvent('add', '/var/cache/a', { uid: 101 }), sampleEvent('modify', '/var/run/x.pid', { uid: 0 })] }))).not.toContain('CHOWN');
    // No owner known, or not a creation: no evidence.
    expect(names(facts({ ...base, events: [sampleEvent('add', '/var/cache/b'), sampleEvent('delete', '/var/cache/c', { uid: 999 }), sampleEvent('open-write', '/var/cache/d', { uid: 999 })] }))).not.toContain('CHOWN');
    const hints = capabilityHints(
      facts({
        ...base,
        events: [
          sampleEvent('add', '/data/z', { uid: 999 }),
          sampleEvent('modify', '/data/a', { uid: 999 }),
          sampleEvent('add', '/data/a', { uid: 999 }),
          sampleEvent('add', '/data/m', { uid: 70 }),
          sampleEvent('add', '/data/q', { uid: 70 }),
        ],
      }),
    );
    const chown = hints.find((h) => h.name === 'CHOWN');
    // At most three paths, deduplicated and sorted.
    expect(chown?.reason).toBe('changes the owner of files it creates (/data/a, /data/m, /data/q)');
  });

  it('gives nothing at all for a non-root start user, whatever the run showed', () => {
    const signs = { probes: [probe(80, true)], events: [sampleEvent('add', '/data/a', { uid: 999 })] };
    expect(capabilityHints(facts({ ...signs, processes: [proc(1, 1000, 1000), proc(2, 1001, 1001)], initPid: 1 }))).toEqual([]);
    expect(capabilityHints(facts({ ...signs, startUser: { uid: 1000, gid: 1000 } }))).toEqual([]);
  });

  it('treats an unknown start user as root', () => {
    expect(names(facts({ probes: [probe(80, true)] }))).toEqual(['NET_BIND_SERVICE']);
  });

  it('lists them in a fixed order: NET_BIND_SERVICE, SETGID, SETUID, CHOWN', () => {
    const f = facts({ processes: [rootInit, proc(2, 33, 33)], initPid: 1, probes: [probe(80, true)], events: [sampleEvent('add', '/x', { uid: 5 })] });
    expect(names(f)).toEqual(['NET_BIND_SERVICE', 'SETGID', 'SETUID', 'CHOWN']);
  });
});

describe('reasonFor', () => {
  it('has a reason for every default capability, and a generic one for any other', () => {
    for (const c of DOCKER_DEFAULT_CAPS) {
      const r = reasonFor(c);
      expect(r.name).toBe(c);
      expect(r.reason).not.toBe('the run broke without it');
    }
    expect(reasonFor('SYS_ADMIN')).toEqual({ name: 'SYS_ADMIN', reason: 'the run broke without it' });
  });

  it('words a reason without its context', () => {
    expect(reasonFor('NET_BIND_SERVICE').reason).toBe('binds a port below 1024');
    expect(reasonFor('NET_BIND_SERVICE').alternative).toContain('8080');
    expect(reasonFor('SETUID').reason).toContain('another user');
    expect(reasonFor('CHOWN').reason).toBe('changes the owner of files it creates');
  });
});

describe('remainingDefaults', () => {
  it('is every default capability when none is hinted, likeliest first', () => {
    const all = remainingDefaults([]);
    expect([...all].sort()).toEqual([...DOCKER_DEFAULT_CAPS].sort());
    expect(all.slice(0, 3)).toEqual(['CHOWN', 'DAC_OVERRIDE', 'FOWNER']);
  });

  it('leaves out the hinted ones and keeps the order of the rest', () => {
    const all = remainingDefaults([]);
    const rest = remainingDefaults(['SETUID', 'NET_BIND_SERVICE', 'SYS_ADMIN']);
    expect(rest).toEqual(all.filter((c) => c !== 'SETUID' && c !== 'NET_BIND_SERVICE'));
  });
});

describe('levelsToTry', () => {
  it('tries restricted then drop-caps for auto, the one asked for otherwise, none for off', () => {
    expect(levelsToTry('auto')).toEqual(['restricted', 'drop-caps']);
    expect(levelsToTry('openshift')).toEqual(['openshift']);
    expect(levelsToTry('drop-caps')).toEqual(['drop-caps']);
    expect(levelsToTry('off')).toEqual([]);
  });
});

describe('settingsFor', () => {
  const user = { uid: 1000, gid: 1000 };
  const kept = (name: string) => ({ name, reason: 'r', evidence: ['e'] });

  it('keeps the engine\'s capabilities and the image\'s user for off, with no-new-privileges and RuntimeDefault', () => {
    expect(settingsFor('off', 'auto', user, [kept('CHOWN')])).toEqual({ requested: 'auto', level: 'off', noNewPrivileges: true, seccomp: 'RuntimeDefault', verified: false, rejected: [], capDrop: [], capAdd: [] });
  });

  it('drops all for drop-caps and adds back the kept ones, by name, never with a user', () => {
    const h = settingsFor('drop-caps', 'drop-caps', user, [kept('SETUID'), kept('CHOWN'), kept('NET_BIND_SERVICE')]);
    expect(h.capDrop).toEqual(['ALL']);
    expect(h.capAdd.map((c) => c.name)).toEqual(['CHOWN', 'NET_BIND_SERVICE', 'SETUID']);
    expect(h).not.toHaveProperty('user');
  });

  it('drops all with no capability back for restricted, with the user when there is one', () => {
    const h = settingsFor('restricted', 'auto', user, [kept('CHOWN')]);
    expect(h).toMatchObject({ level: 'restricted', capDrop: ['ALL'], capAdd: [], user });
    expect(settingsFor('restricted', 'auto', undefined)).not.toHaveProperty('user');
  });

  it('runs openshift as the arbitrary UID with GID 0, whatever the user', () => {
    const h = settingsFor('openshift', 'openshift', user);
    expect(h).toMatchObject({ level: 'openshift', capDrop: ['ALL'], capAdd: [], user: { uid: ARBITRARY_UID, gid: 0 }, arbitraryUid: true });
  });
});

describe('canWrite', () => {
  const u = { uid: 1000, gid: 1000 };

  it('lets root write anything', () => {
    expect(canWrite({ uid: 0, gid: 0 }, { uid: 5, gid: 5, mode: 0o000 })).toBe(true);
  });

  it('needs write and search on the class the user is in, and only that class', () => {
    expect(canWrite(u, { uid: 1000, gid: 0, mode: 0o700 })).toBe(true);
    // Write without search is not enough to create a file.
    expect(canWrite(u, { uid: 1000, gid: 0, mode: 0o200 })).toBe(false);
    // The owner's bits decide for the owner, even when group and other may write.
    expect(canWrite(u, { uid: 1000, gid: 1000, mode: 0o577 })).toBe(false);
    expect(canWrite(u, { uid: 0, gid: 1000, mode: 0o770 })).toBe(true);
    expect(canWrite(u, { uid: 0, gid: 1000, mode: 0o757 })).toBe(false);
    expect(canWrite(u, { uid: 0, gid: 0, mode: 0o777 })).toBe(true);
    expect(canWrite(u, { uid: 0, gid: 0, mode: 0o775 })).toBe(false);
  });

  it('counts supplementary groups as the group class', () => {
    expect(canWrite(u, { uid: 0, gid: 50, mode: 0o770 })).toBe(false);
    expect(canWrite(u, { uid: 0, gid: 50, mode: 0o770 }, [50])).toBe(true);
    expect(canWrite(u, { uid: 0, gid: 50, mode: 0o707 }, [50])).toBe(false);
  });
});

describe('mountsOwnedFor', () => {
  const user = { uid: 1000, gid: 1000 };
  const rootTmpfs = sampleMount({ path: '/run' });
  const ownTmpfs = sampleMount({ path: '/tmp/own', uid: 1000, gid: 1000, mode: 0o755 });
  const openTmpfs = sampleMount({ path: '/tmp', mode: 0o1777 });
  const rootVolume = sampleMount({ path: '/var/lib/app', kind: 'volume', volumeName: 'data' });

  it('leaves every mount as it is for root or no user', () => {
    const mounts = [rootTmpfs, rootVolume];
    expect(mountsOwnedFor(mounts, undefined, false)).toEqual(mounts);
    expect(mountsOwnedFor(mounts, { uid: 0, gid: 0 }, false)).toEqual(mounts);
  });

  it('gives the user only the tmpfs they cannot write, keeping its mode', () => {
    const out = mountsOwnedFor([rootTmpfs, ownTmpfs, openTmpfs, rootVolume], user, false);
    expect(out[0]).toEqual({ ...rootTmpfs, uid: 1000, gid: 1000 });
    expect(out[0]!.mode).toBe(0o755);
    expect(out[1]).toBe(ownTmpfs);
    expect(out[2]).toBe(openTmpfs);
    // A volume keeps the image's owner (Docker copies it in).
    expect(out[3]).toBe(rootVolume);
  });

  it('for an arbitrary UID, gives the tmpfs to the UID with group 0 and group rwx', () => {
    const arbitrary = { uid: ARBITRARY_UID, gid: 0 };
    const groupWritable = sampleMount({ path: '/run/g', uid: 0, gid: 0, mode: 0o775 });
    const out = mountsOwnedFor([rootTmpfs, groupWritable, sampleMount({ path: '/run/p', uid: 33, gid: 33, mode: 0o700 })], arbitrary, true);
    expect(out[0]).toEqual({ ...rootTmpfs, uid: ARBITRARY_UID, gid: 0, mode: 0o775 });
    // Group 0 may already write it: as it is.
    expect(out[1]).toBe(groupWritable);
    expect(out[2]).toMatchObject({ uid: ARBITRARY_UID, gid: 0, mode: 0o770 });
    // Any UID with GID 0 can write what it gives.
    for (const m of out) expect(canWrite({ uid: 1000700000, gid: 0 }, m)).toBe(true);
  });
});

describe('unwritableVolumes', () => {
  const user = { uid: 1000, gid: 1000 };

  it('lists the volumes and seeded mounts the user cannot write, never a tmpfs', () => {
    const rootVolume = sampleMount({ path: '/var/lib/app', kind: 'volume' });
    const ownVolume = sampleMount({ path: '/srv/data', kind: 'volume', uid: 1000, gid: 1000 });
    const seeded = sampleMount({ path: '/etc/app', kind: 'seeded', uid: 0, gid: 1000, mode: 0o755 });
    const rootTmpfs = sampleMount({ path: '/run' });
    expect(unwritableVolumes([rootVolume, ownVolume, seeded, rootTmpfs], user)).toEqual([rootVolume, seeded]);
  });

  it('is empty for root or no user', () => {
    const rootVolume = sampleMount({ path: '/var/lib/app', kind: 'volume' });
    expect(unwritableVolumes([rootVolume], undefined)).toEqual([]);
    expect(unwritableVolumes([rootVolume], { uid: 0, gid: 0 })).toEqual([]);
  });
});

describe('resolveUser', () => {
  const passwd = ['root:x:0:0:root:/root:/bin/sh', 'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin', 'app:x:1000:1001:App:/home/app:/bin/sh', ''].join('\n');
  const group = ['root:x:0:', 'www-data:x:33:', 'staff:x:50:app', 'app:x:1001:'].join('\n');

  it('is root for the empty user (Docker\'s default)', () => {
    expect(resolveUser('', passwd, group)).toEqual({ uid: 0, gid: 0 });
  });

  it('looks a name up in passwd, with its primary group', () => {
    expect(resolveUser('app', passwd, group)).toEqual({ uid: 1000, gid: 1001 });
    expect(resolveUser('www-data', passwd, group)).toEqual({ uid: 33, gid: 33 });
    expect(resolveUser('root', passwd, group)).toEqual({ uid: 0, gid: 0 });
  });

  it('gives a numeric user its passwd entry\'s group, and group 0 when it has no entry', () => {
    expect(resolveUser('1000', passwd, group)).toEqual({ uid: 1000, gid: 1001 });
    expect(resolveUser('4242', passwd, group)).toEqual({ uid: 4242, gid: 0 });
    expect(resolveUser('4242', '', '')).toEqual({ uid: 4242, gid: 0 });
  });

  it('takes the group of user:group, by name or number', () => {
    expect(resolveUser('app:staff', passwd, group)).toEqual({ uid: 1000, gid: 50 });
    expect(resolveUser('app:0', passwd, group)).toEqual({ uid: 1000, gid: 0 });
    expect(resolveUser('1000:staff', passwd, group)).toEqual({ uid: 1000, gid: 50 });
    expect(resolveUser('4242:4343', '', '')).toEqual({ uid: 4242, gid: 4343 });
  });

  it('is undefined for a name passwd or group does not have', () => {
    expect(resolveUser('nobody', passwd, group)).toBeUndefined();
    expect(resolveUser('app:wheel', passwd, group)).toBeUndefined();
    expect(resolveUser('app', '', '')).toBeUndefined();
  });

  it('reads files with CRLF line ends', () => {
    expect(resolveUser('app:staff', passwd.replace(/\n/g, '\r\n'), group.replace(/\n/g, '\r\n'))).toEqual({ uid: 1000, gid: 50 });
  });
});

describe('userString', () => {
  it('is uid:gid', () => {
    expect(userString({ uid: 1000, gid: 0 })).toBe('1000:0');
  });
});
