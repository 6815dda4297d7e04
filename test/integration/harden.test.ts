import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Result } from '../../src/model/result.js';
import { LABEL_ROLE } from '../../src/runtime/labels.js';
import { FIXTURE, leftovers, runCli, testSession } from '../helpers/cli.js';
import { watchContainers } from '../helpers/engine-events.js';
import { FIXTURE_CASES } from '../helpers/fixture-exercises.js';
import { profiledFixture } from '../helpers/profiled-fixtures.js';
import { composeAvailable } from '../helpers/compose.js';
import { restrictedViolations } from '../helpers/pod-security.js';

const withCompose = composeAvailable() || process.env['CI'] === 'true';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A started container as the engine holds it: what the issue asks to see on the engine. */
interface Started {
  readonly role: string;
  readonly readOnly: boolean;
  readonly capDrop: readonly string[];
  readonly capAdd: readonly string[];
  readonly securityOpt: readonly string[];
  readonly user: string;
  readonly cmd: string;
}

/** Every container of the session, inspected the moment the engine says it started. */
function watchStarted(session: string): Promise<{ stop(): Promise<Started[]> }> {
  return watchContainers(session, 'start', (c) => ({
    role: c.Config.Labels[LABEL_ROLE] ?? '',
    readOnly: c.HostConfig.ReadonlyRootfs === true,
    capDrop: c.HostConfig.CapDrop ?? [],
    capAdd: c.HostConfig.CapAdd ?? [],
    securityOpt: c.HostConfig.SecurityOpt ?? [],
    user: c.Config.User ?? '',
    cmd: (c.Config.Cmd ?? []).join(' '),
  }));
}

async function profile(name: string, args: string[], expectCode = 0): Promise<{ result: Result; started: Started[]; out: string }> {
  const session = testSession(`harden-${name}`);
  const out = mkdtempSync(join(tmpdir(), 'ro-profile-harden-'));
  dirs.push(out);
  const watch = await watchStarted(session);
  const r = await runCli([...args, '--format', 'all', '--out', out], { session });
  const started = await watch.stop();
  expect(r.code, r.stderr).toBe(expectCode);
  expect(await leftovers(session)).toEqual([]);
  return { result: JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Result, started, out };
}

/** The hardened app containers verification started (read-only root), not the kubelet-like run's root helper that gives Pod volumes their owner. */
const hardened = (cs: readonly Started[]) => cs.filter((c) => c.role === 'verify' && c.readOnly && !c.cmd.startsWith('set -e; chown'));
const k8sDoc = (out: string) => parse(readFileSync(join(out, 'k8s.yaml'), 'utf8')) as unknown;

describe('--harden: verified under the settings production uses', () => {
  // The busybox fixture runs as its own user "app" (1000): restricted from the first verification run.
  for (const format of ['run', 'compose', 'k8s'] as const) {
    it.skipIf(format === 'compose' && !withCompose)(`a non-root image verifies as restricted with --verify-with ${format}, and the engine ran it so`, async () => {
      const { result, started, out } = await profile(`busybox-${format}`, [FIXTURE.busybox, '--verify-with', format, '--leave-one-out', '0']);
      expect(result.hardening).toMatchObject({ requested: 'auto', level: 'restricted', verified: true, capDrop: ['ALL'], capAdd: [], user: { uid: 1000, gid: 1000 }, seccomp: 'RuntimeDefault' });
      expect(result.verification.at(-1)?.result).toBe('pass');
      const runs = hardened(started);
      expect(runs.length).toBeGreaterThan(0);
      for (const c of runs) {
        expect(c.capDrop).toEqual(['ALL']);
        expect(c.capAdd).toEqual([]);
        // The API takes both spellings: docker run's and compose's.
        expect(c.securityOpt.some((o) => /^no-new-privileges(:true)?$/.test(o))).toBe(true);
        expect(c.securityOpt.some((o) => /seccomp[=:]unconfined/.test(o))).toBe(false);
        expect(c.user).toBe('1000:1000');
      }
      // The same settings in every format, and the Pod passes Pod Security "restricted".
      expect(readFileSync(join(out, 'docker-run.sh'), 'utf8')).toMatch(/--cap-drop ALL .*--user 1000:1000 /);
      const compose = parse(readFileSync(join(out, 'compose.yaml'), 'utf8')) as { services: Record<string, { cap_drop?: string[]; user?: string; security_opt?: string[] }> };
      expect(Object.values(compose.services)[0]).toMatchObject({ cap_drop: ['ALL'], user: '1000:1000', security_opt: ['no-new-privileges:true'] });
      expect(restrictedViolations(k8sDoc(out))).toEqual([]);
      expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('- Level: **restricted**');
    });
  }

  it('a root image whose workers switch user runs as that user from the start; the Pod passes "restricted"', async () => {
    // The fixture's plain profile (--format all), shared with the suites that run the printed files.
    const out = await profiledFixture(FIXTURE_CASES.find((c) => c.fixture === 'nginx')!, testSession('harden-nginx-auto'));
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Result;
    // Debian's nginx master runs as root and its workers as www-data (33): restricted as 33:33.
    expect(result.hardening).toMatchObject({ level: 'restricted', verified: true, user: { uid: 33, gid: 33 } });
    expect(result.hardening?.processes?.some((p) => p.startsWith('0:0 nginx: master'))).toBe(true);
    // Its tmpfs mounts are the user's, so it can write them.
    for (const m of result.plan.mounts.filter((x) => x.kind === 'tmpfs')) expect(m.uid === 33 || (m.mode & 0o002) !== 0).toBe(true);
    // The proof: a run as 33:33 with every capability dropped, with a restart, compared equal.
    expect(result.verification.at(-1)!.rounds.find((x) => x.kind === 'harden' && x.result === 'pass')?.harden).toMatchObject({ level: 'restricted', capAdd: [], user: '33:33' });
    expect(restrictedViolations(k8sDoc(out))).toEqual([]);
    // Port 80 as non-root works under Docker through its sysctl; the Pod says so the same way.
    expect(readFileSync(join(out, 'k8s.yaml'), 'utf8')).toContain('net.ipv4.ip_unprivileged_port_start');
  });

  it('--harden drop-caps keeps only the capabilities without which it breaks, each with its reason and evidence', async () => {
    const { result, started, out } = await profile('nginx-caps', [FIXTURE.nginx, '--harden', 'drop-caps', '--leave-one-out', '0']);
    const h = result.hardening!;
    expect(h).toMatchObject({ requested: 'drop-caps', level: 'drop-caps', verified: true, capDrop: ['ALL'] });
    const names = h.capAdd.map((c) => c.name);
    // The master chowns its temp dirs and switches its workers to www-data.
    expect(names).toEqual(expect.arrayContaining(['CHOWN', 'SETGID', 'SETUID']));
    expect(names.length).toBeLessThan(14);
    for (const c of h.capAdd) {
      expect(c.reason.length).toBeGreaterThan(0);
      expect(c.evidence.length).toBeGreaterThan(0);
    }
    expect(h.capAdd.find((c) => c.name === 'CHOWN')!.evidence.join('\n')).toMatch(/chown\(.*Operation not permitted/);
    // The proof: a hardened run had exactly those capabilities (and passed), and each run without one of them broke.
    const runs = hardened(started);
    expect(runs.some((c) => [...c.capAdd].sort().join() === [...names].sort().join())).toBe(true);
    // Verification of the mounts ran first at off (the engine's defaults, as the writable run had); every run with capabilities added back dropped all first.
    for (const c of runs.filter((x) => x.capAdd.length > 0)) expect(c.capDrop).toEqual(['ALL']);
    const rounds = result.verification.at(-1)!.rounds.filter((x) => x.kind === 'harden');
    expect(rounds.find((x) => x.result === 'pass' && [...x.harden!.capAdd].sort().join() === [...names].sort().join())).toBeDefined();
    for (const n of names) expect(rounds.find((x) => x.harden?.withoutCap === n)?.result).toBe('fail');
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('### Capabilities kept');
    for (const n of names) expect(report).toContain(`| \`${n}\` |`);
    // Root with added capabilities is not "restricted": the independent check says so.
    expect(restrictedViolations(k8sDoc(out)).join('\n')).toMatch(/capabilit/i);
    expect(readFileSync(join(out, 'docker-run.sh'), 'utf8')).toMatch(/--cap-drop ALL( --cap-add [A-Z_]+)+/);
  });

  it('an explicit level the image cannot meet exits 7, and the report says which setting broke it with the evidence', async () => {
    // Redis keeps its data on a volume its own user owns (100:101, 0750): an arbitrary UID in group 0 cannot write it under Docker.
    const { result, out } = await profile('redis-openshift', [FIXTURE.redis, '--harden', 'openshift', '--leave-one-out', '0'], 7);
    const h = result.hardening!;
    expect(h).toMatchObject({ requested: 'openshift', level: 'openshift', verified: false });
    expect(h.rejected[0]).toMatchObject({ level: 'openshift', setting: expect.stringContaining('arbitrary UID') });
    expect(h.rejected[0]!.message).toContain('/var/lib/redis');
    expect(h.rejected[0]!.fix).toMatch(/chgrp -R 0/);
    expect(result.verification.at(-1)?.result).toBe('fail');
    expect(readFileSync(join(out, 'docker-run.sh'), 'utf8')).toMatch(/^# UNVERIFIED: under --harden openshift, an arbitrary UID/);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('### Stronger levels that did not run');
    expect(report).toContain('/var/lib/redis: owner 100:101 mode 750 in the image');
  });

  it('--harden openshift runs it as an arbitrary UID with GID 0 under the kubelet-like Pod', async () => {
    const { result, started, out } = await profile('busybox-openshift', [FIXTURE.busybox, '--harden', 'openshift', '--verify-with', 'k8s', '--leave-one-out', '0']);
    expect(result.hardening).toMatchObject({ level: 'openshift', arbitraryUid: true, verified: true, user: { uid: 1000680000, gid: 0 } });
    expect(hardened(started).at(-1)!.user).toBe('1000680000:0');
    const doc = k8sDoc(out) as { spec: { securityContext: Record<string, unknown> } };
    // The platform assigns the UID: the Pod names none, and still passes "restricted".
    expect(doc.spec.securityContext['runAsUser']).toBeUndefined();
    expect(doc.spec.securityContext['runAsNonRoot']).toBe(true);
    expect(restrictedViolations(doc)).toEqual([]);
  });
});
