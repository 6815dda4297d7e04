import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import type { PrivilegeFacts } from '../../../src/analyze/hardening.js';
import { ARBITRARY_UID, FALLBACK_NONROOT_UID, type ProcessInfo } from '../../../src/model/hardening.js';
import type { ProbeResult } from '../../../src/model/result.js';
import { privilegeFacts, readProcesses, readStartUser, startingHardening } from '../../../src/pipeline/privilege-facts.js';
import { containerState, EngineFake } from '../../helpers/engine-fake.js';
import { sampleEvent, sampleMount } from '../../helpers/samples.js';

const proc = (pid: number, uid: number, gid: number, command = `/bin/p${pid}`): ProcessInfo => ({ pid, uid, gid, command });
const facts = (over: Partial<PrivilegeFacts> = {}): PrivilegeFacts => ({ processes: [], initPid: 0, probes: [], events: [], ...over });
const low: ProbeResult = { port: 80, kind: 'http', ok: true, status: 200 };

const nonRootApp = facts({ processes: [proc(10, 1000, 1000, 'node server.js')], initPid: 10 });
const rootApp = facts({ processes: [proc(10, 0, 0, 'nginx: master'), proc(11, 101, 101, 'nginx: worker')], initPid: 10, probes: [low] });
const rootTmpfs = sampleMount({ path: '/run' });
const rootVolume = sampleMount({ path: '/var/cache/nginx', kind: 'volume', volumeName: 'cache' });

describe('startingHardening, verifying', () => {
  it('starts a non-root app at restricted, as its own user, with its tmpfs made writable for it', () => {
    const { hardening, mounts } = startingHardening('auto', nonRootApp, [rootTmpfs, rootVolume], true);
    expect(hardening).toMatchObject({ requested: 'auto', level: 'restricted', capDrop: ['ALL'], capAdd: [], user: { uid: 1000, gid: 1000 }, verified: false, noNewPrivileges: true, seccomp: 'RuntimeDefault' });
    expect(hardening.processes).toEqual(['1000:1000 node server.js']);
    expect(mounts[0]).toMatchObject({ path: '/run', uid: 1000, gid: 1000 });
    // A volume keeps the image's owner.
    expect(mounts[1]).toBe(rootVolume);
  });

  it('starts a non-root app at restricted for restricted and openshift too, and at drop-caps without a user for drop-caps', () => {
    expect(startingHardening('restricted', nonRootApp, [], true).hardening).toMatchObject({ level: 'restricted', requested: 'restricted', user: { uid: 1000, gid: 1000 } });
    expect(startingHardening('openshift', nonRootApp, [], true).hardening).toMatchObject({ level: 'restricted', requested: 'openshift', user: { uid: 1000, gid: 1000 } });
    const dropCaps = startingHardening('drop-caps', nonRootApp, [rootTmpfs], true);
    expect(dropCaps.hardening).toMatchObject({ level: 'drop-caps', capDrop: ['ALL'], capAdd: [] });
    expect(dropCaps.hardening).not.toHaveProperty('user');
    expect(dropCaps.mounts).toEqual([rootTmpfs]);
  });

  it('starts a root app at off, as the writable run had it, whatever was asked', () => {
    for (const requested of ['auto', 'restricted', 'drop-caps', 'openshift', 'off'] as const) {
      const { hardening, mounts } = startingHardening(requested, rootApp, [rootTmpfs], true);
      expect(hardening).toMatchObject({ requested, level: 'off', capDrop: [], capAdd: [], verified: false });
      expect(hardening).not.toHaveProperty('user');
      expect(mounts).toEqual([rootTmpfs]);
    }
  });

  it('starts an app whose user is unknown at off', () => {
    expect(startingHardening('auto', facts(), [], true).hardening.level).toBe('off');
  });

  it('takes the image\'s user when the processes are gone (a job)', () => {
    expect(startingHardening('auto', facts({ startUser: { uid: 33, gid: 33 } }), [], true).hardening).toMatchObject({ level: 'restricted', user: { uid: 33, gid: 33 } });
    expect(startingHardening('auto', facts({ startUser: { uid: 0, gid: 0 } }), [], true).hardening.level).toBe('off');
  });
});

describe('startingHardening, --no-verify', () => {
  it('gives auto restricted for a non-root app and off for a root one', () => {
    expect(startingHardening('auto', nonRootApp, [], false).hardening).toMatchObject({ level: 'restricted', user: { uid: 1000, gid: 1000 }, verified: false });
    const root = startingHardening('auto', rootApp, [rootTmpfs], false);
    expect(root.hardening).toMatchObject({ level: 'off', capDrop: [], capAdd: [], verified: false });
    expect(root.hardening).not.toHaveProperty('user');
    expect(root.mounts).toEqual([rootTmpfs]);
  });

  it('gives an explicit drop-caps the capabilities the run hinted, marked as not verified', () => {
    const { hardening } = startingHardening('drop-caps', rootApp, [], false);
    expect(hardening.level).toBe('drop-caps');
    expect(hardening.capDrop).toEqual(['ALL']);
    expect(hardening.capAdd.map((c) => c.name)).toEqual(['NET_BIND_SERVICE', 'SETGID', 'SETUID']);
    for (const c of hardening.capAdd) {
      expect(c.evidence).toEqual(['from the writable run (not verified: --no-verify)']);
      expect(c.reason).not.toBe('');
    }
    // The hint's own reason, with its evidence, not the generic one.
    expect(hardening.capAdd[0]!.reason).toContain('binds port 80');
    expect(hardening.capAdd.find((c) => c.name === 'SETUID')?.reason).toContain('101:101');
    expect(hardening).not.toHaveProperty('user');
  });

  it('gives an explicit drop-caps nothing back for a non-root app', () => {
    expect(startingHardening('drop-caps', { ...nonRootApp, probes: [low] }, [], false).hardening.capAdd).toEqual([]);
  });

  it('runs an explicit restricted root app as its workers\' user, or 65532, with its tmpfs re-owned', () => {
    const workers = startingHardening('restricted', rootApp, [rootTmpfs], false);
    expect(workers.hardening).toMatchObject({ level: 'restricted', user: { uid: 101, gid: 101 }, capAdd: [] });
    expect(workers.mounts[0]).toMatchObject({ uid: 101, gid: 101 });
    const alone = startingHardening('restricted', facts({ processes: [proc(1, 0, 0)], initPid: 1 }), [rootTmpfs], false);
    expect(alone.hardening.user).toEqual({ uid: FALLBACK_NONROOT_UID, gid: FALLBACK_NONROOT_UID });
    // A non-root app keeps its own.
    expect(startingHardening('restricted', nonRootApp, [], false).hardening.user).toEqual({ uid: 1000, gid: 1000 });
  });

  it('runs an explicit openshift as the arbitrary UID, with its tmpfs group 0\'s and group-writable', () => {
    const { hardening, mounts } = startingHardening('openshift', rootApp, [rootTmpfs, rootVolume], false);
    expect(hardening).toMatchObject({ level: 'openshift', user: { uid: ARBITRARY_UID, gid: 0 }, arbitraryUid: true });
    expect(mounts[0]).toMatchObject({ uid: ARBITRARY_UID, gid: 0, mode: 0o775 });
    expect(mounts[1]).toBe(rootVolume);
  });

  it('gives off as asked, with no capability changed', () => {
    expect(startingHardening('off', nonRootApp, [], false).hardening).toMatchObject({ level: 'off', requested: 'off', capDrop: [] });
  });
});

describe('startingHardening: the process evidence', () => {
  it('lists at most ten processes, each as uid:gid and command, cut at 200 characters', () => {
    const many = facts({ processes: Array.from({ length: 12 }, (_, i) => proc(i + 1, 0, 0, i === 0 ? `x${'y'.repeat(300)}` : `worker ${i}`)), initPid: 1 });
    const { hardening } = startingHardening('auto', many, [], true);
    expect(hardening.processes).toHaveLength(10);
    expect(hardening.processes![0]).toHaveLength(200);
    expect(hardening.processes![0]!.startsWith('0:0 xyyy')).toBe(true);
    expect(hardening.processes![1]).toBe('0:0 worker 1');
  });

  it('has no process list when there were no processes', () => {
    expect(startingHardening('auto', facts({ startUser: { uid: 1000, gid: 1000 } }), [], true).hardening).not.toHaveProperty('processes');
  });
});

describe('privilegeFacts', () => {
  it('keeps the start user only when there is one', () => {
    const p = { processes: [proc(1, 0, 0)], initPid: 1 };
    expect(privilegeFacts(p, undefined, [low], [])).toEqual({ processes: p.processes, initPid: 1, probes: [low], events: [] });
    expect(privilegeFacts(p, { uid: 5, gid: 5 }, [], [sampleEvent('add', '/x')]).startUser).toEqual({ uid: 5, gid: 5 });
  });
});

describe('readProcesses', () => {
  it('gives the engine\'s processes and the init\'s host pid', async () => {
    const engine = new EngineFake({ states: [containerState({ hostPid: 4287 })] });
    engine.processList = [proc(4287, 0, 0)];
    expect(await readProcesses(engine, 'c1')).toEqual({ processes: [proc(4287, 0, 0)], initPid: 4287 });
  });
});

/** The tar Docker sends for one file, as a node stream (as the engine's answer is). */
async function fileTar(name: string, body: string): Promise<() => Readable> {
  const p = pack();
  p.entry({ name, mode: 0o644, uid: 0, gid: 0, mtime: new Date(0), size: Buffer.byteLength(body) }, body);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  const buf = Buffer.concat(chunks);
  return () => Readable.from([buf]);
}

describe('readStartUser', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\napp:x:1000:1000::/home/app:/bin/sh\n';
  const group = 'root:x:0:\nwww-data:x:33:\napp:x:1000:\nstaff:x:50:\n';
  const engineWithFiles = async () => {
    const engine = new EngineFake();
    engine.archives.set('/etc/passwd', await fileTar('passwd', passwd));
    engine.archives.set('/etc/group', await fileTar('group', group));
    return engine;
  };

  it('resolves a name from the image\'s /etc/passwd and /etc/group', async () => {
    expect(await readStartUser(await engineWithFiles(), 'c1', 'www-data')).toEqual({ uid: 33, gid: 33 });
    expect(await readStartUser(await engineWithFiles(), 'c1', 'app:staff')).toEqual({ uid: 1000, gid: 50 });
  });

  it('reads no file for root or for uid:gid', async () => {
    const engine = new EngineFake();
    expect(await readStartUser(engine, 'c1', '')).toEqual({ uid: 0, gid: 0 });
    expect(await readStartUser(engine, 'c1', '1000:50')).toEqual({ uid: 1000, gid: 50 });
    expect(engine.callsTo('getArchive')).toEqual([]);
  });

  it('gives a numeric user its passwd entry\'s group, as Docker does, and group 0 without one', async () => {
    expect(await readStartUser(await engineWithFiles(), 'c1', '1000')).toEqual({ uid: 1000, gid: 1000 });
    expect(await readStartUser(await engineWithFiles(), 'c1', '4242')).toEqual({ uid: 4242, gid: 0 });
  });

  it('takes a file the engine cannot find (404) for an empty one', async () => {
    // No archives scripted: the fake's getArchive rejects, as the engine does for a missing path.
    expect(await readStartUser(new EngineFake(), 'c1', '1000')).toEqual({ uid: 1000, gid: 0 });
    expect(await readStartUser(new EngineFake(), 'c1', 'app')).toBeUndefined();
  });

  it('is undefined for a name the image does not have, or when it has no /etc/passwd', async () => {
    expect(await readStartUser(await engineWithFiles(), 'c1', 'nobody')).toBeUndefined();
    const bare = new EngineFake();
    bare.archives.set('/etc/passwd', () => Readable.from([]));
    bare.archives.set('/etc/group', () => Readable.from([]));
    expect(await readStartUser(bare, 'c1', 'app')).toBeUndefined();
  });
});
