import { describe, expect, it } from 'vitest';
import { compareResults } from '../../../src/compare/compare-results.js';
import { DIFF_KINDS, DIFF_RULES, widenings, type DiffChange } from '../../../src/compare/diff-model.js';
import type { Result } from '../../../src/model/result.js';
import { example, mountAt, withMounts } from './example-results.js';

const FILES = { old: 'old.json', new: 'new.json' };
const diff = (o: Result, n: Result) => compareResults(o, n, FILES);
const kinds = (cs: readonly DiffChange[]) => cs.map((c) => [c.kind, c.path ?? null]);

describe('compareResults on the example results', () => {
  const nginx = example('nginx');
  const busybox = example('busybox-app');

  it('a result compared with itself has no change', () => {
    expect(diff(nginx, nginx).changes).toEqual([]);
    expect(diff(busybox, example('busybox-app')).changes).toEqual([]);
  });

  it('a mount where none covered the path before is a new writable path, and gates', () => {
    const wider = withMounts(nginx, (ms) => [...ms, { ...mountAt(nginx, '/run'), path: '/srv/up loads\nü' }]);
    const d = diff(nginx, wider);
    expect(kinds(d.changes)).toEqual([['new-writable-path', '/srv/up loads\nü']]);
    expect(widenings(d)).toHaveLength(1);
    // Back again: the dropped mount is a narrowing, reported but not gating.
    const back = diff(wider, nginx);
    expect(kinds(back.changes)).toEqual([['dropped-mount', '/srv/up loads\nü']]);
    expect(widenings(back)).toEqual([]);
  });

  it('a mount moved up to a parent directory widens; moved down narrows', () => {
    const up = withMounts(nginx, (ms) => ms.map((m) => (m.path === '/var/lib/nginx' ? { ...m, path: '/var/lib' } : m)));
    expect(kinds(diff(nginx, up).changes)).toEqual([['widened-mount', '/var/lib']]);
    expect(diff(nginx, up).changes[0]?.message).toContain('moved up from /var/lib/nginx');
    const down = diff(up, nginx);
    expect(kinds(down.changes)).toEqual([['narrowed-mount', '/var/lib/nginx']]);
    expect(widenings(down)).toEqual([]);
  });

  it('/ is the parent of everything: a mount at / covers every old one', () => {
    const root = withMounts(nginx, (ms) => [{ ...ms[0]!, path: '/' }]);
    expect(kinds(diff(nginx, root).changes).filter(([k]) => k === 'widened-mount')).toEqual([['widened-mount', '/']]);
  });

  it('a sibling with a common prefix is not a parent (/run vs /running)', () => {
    const sib = withMounts(nginx, (ms) => ms.map((m) => (m.path === '/run' ? { ...m, path: '/running' } : m)));
    expect(kinds(diff(nginx, sib).changes)).toEqual([['new-writable-path', '/running'], ['dropped-mount', '/run']]);
  });

  it('tmpfs to volume, a larger tmpfs, a looser mode widen; the reverse narrows', () => {
    const w = withMounts(nginx, (ms) =>
      ms.map((m) => (m.path === '/run' ? { ...m, kind: 'volume' as const, volumeName: 'v' } : m.path === '/var/lib/nginx' ? { ...m, sizeBytes: m.sizeBytes * 2 } : m.path === '/var/log/nginx' ? { ...m, mode: 0o775 } : m)),
    );
    const d = diff(nginx, w);
    expect(kinds(d.changes)).toEqual([['widened-mount', '/run'], ['widened-mount', '/var/lib/nginx'], ['widened-mount', '/var/log/nginx']]);
    expect(d.changes.map((c) => [c.old, c.new])).toEqual([['tmpfs (67108864 bytes)', 'volume'], ['67108864', '134217728'], ['0755', '0775']]);
    const back = diff(w, nginx);
    expect(kinds(back.changes)).toEqual([['narrowed-mount', '/run'], ['narrowed-mount', '/var/lib/nginx'], ['narrowed-mount', '/var/log/nginx']]);
    expect(widenings(back)).toEqual([]);
  });

  it('a mode with fewer bits narrows even when it sets another (0755 to 1700: the sticky bit is new, so it widens)', () => {
    const strict = withMounts(nginx, (ms) => ms.map((m) => (m.path === '/run' ? { ...m, mode: 0o700 } : m)));
    expect(kinds(widenings(diff(nginx, strict)))).toEqual([]);
    const sticky = withMounts(nginx, (ms) => ms.map((m) => (m.path === '/run' ? { ...m, mode: 0o1700 } : m)));
    expect(kinds(widenings(diff(nginx, sticky)))).toEqual([['widened-mount', '/run']]);
  });

  it('another owner gates; exec where the old mount was noexec gates, noexec again does not', () => {
    const w = withMounts(busybox, (ms) => ms.map((m) => (m.path === '/run/app' ? { ...m, uid: 0, exec: true } : m)));
    const d = diff(busybox, w);
    expect(kinds(d.changes)).toEqual([['changed-owner', '/run/app'], ['exec-allowed', '/run/app']]);
    expect(d.changes[0]).toMatchObject({ old: '1000:1000', new: '0:1000' });
    expect(kinds(diff(w, busybox).changes)).toEqual([['changed-owner', '/run/app'], ['exec-removed', '/run/app']]);
  });

  it('another image (id or digests) is info only', () => {
    const rebuilt: Result = { ...nginx, image: { ...nginx.image, id: `sha256:${'e'.repeat(64)}` } };
    const d = diff(nginx, rebuilt);
    expect(kinds(d.changes)).toEqual([['image-changed', null]]);
    expect(widenings(d)).toEqual([]);
    expect(diff(nginx, { ...nginx, image: { ...nginx.image, repoDigests: ['x@sha256:1'] } }).changes.map((c) => c.kind)).toEqual(['image-changed']);
  });

  describe('process settings (issue 17 hardening)', () => {
    const h = nginx.hardening!;

    it('a weaker level gates, a stronger one does not; no hardening where there was some is weaker', () => {
      const weaker: Result = { ...nginx, hardening: { ...h, level: 'drop-caps' } };
      expect(kinds(diff(nginx, weaker).changes)).toEqual([['weaker-hardening', null]]);
      expect(kinds(diff(weaker, nginx).changes)).toEqual([['stronger-hardening', null]]);
      const { hardening: _, ...none } = nginx;
      const d = diff(nginx, none as Result);
      expect(d.changes.map((c) => c.kind)).toContain('weaker-hardening');
      // The engine's default capabilities come back with it.
      expect(d.changes.filter((c) => c.kind === 'capability-added').map((c) => c.new)).toContain('NET_RAW');
    });

    it('a capability kept that was dropped gates, with its reason', () => {
      const caps: Result = { ...nginx, hardening: { ...h, capAdd: [{ name: 'NET_BIND_SERVICE', reason: 'binds port 80', evidence: [] }] } };
      const d = diff(nginx, caps);
      expect(kinds(d.changes)).toEqual([['capability-added', null]]);
      expect(d.changes[0]?.message).toBe('capability NET_BIND_SERVICE is kept: binds port 80');
      expect(kinds(diff(caps, nginx).changes)).toEqual([['capability-removed', null]]);
    });

    it('running as root where the old config did not gates (nginx\'s image user is root; the level ran it as 33)', () => {
      const { user: _, ...asImage } = h;
      const root: Result = { ...nginx, hardening: asImage };
      expect(kinds(diff(nginx, root).changes)).toEqual([['user-root', null]]);
      expect(kinds(diff(root, nginx).changes)).toEqual([]);
      const named: Result = { ...root, run: { ...root.run, user: '0:0' } };
      expect(kinds(diff(nginx, named).changes)).toEqual([['user-root', null]]);
    });

    it('a verification that passed and now fails, or was not run, gates', () => {
      const last = nginx.verification.at(-1)!;
      const failed: Result = { ...nginx, verification: [{ ...last, result: 'fail' }] };
      expect(kinds(diff(nginx, failed).changes)).toEqual([['verification-lost', null]]);
      expect(kinds(diff(nginx, { ...nginx, verification: [] }).changes)).toEqual([['verification-lost', null]]);
      // Failed before, passes now: nothing lost.
      expect(diff(failed, nginx).changes).toEqual([]);
      // The mounts verified but the --harden level did not.
      expect(kinds(diff(nginx, { ...nginx, hardening: { ...h, verified: false } }).changes)).toEqual([['verification-lost', null]]);
    });
  });

  it('orders the changes: widening kinds first, in DIFF_KINDS order, then by path', () => {
    const o = example('postgres');
    const n = withMounts({ ...o, image: { ...o.image, id: 'sha256:0' } }, (ms) => [...ms.filter((m) => m.path !== '/run/postgresql'), { ...ms[0]!, path: '/tmp/b' }, { ...ms[0]!, path: '/tmp/a' }]);
    expect(kinds(diff(o, n).changes)).toEqual([['new-writable-path', '/tmp/a'], ['new-writable-path', '/tmp/b'], ['dropped-mount', '/run/postgresql'], ['image-changed', null]]);
  });

  it('every kind has a rule, and the widening ones come first in DIFF_KINDS', () => {
    const flags = DIFF_KINDS.map((k) => DIFF_RULES[k].widening);
    expect(flags.indexOf(false)).toBeGreaterThan(0);
    expect(flags.slice(flags.indexOf(false))).not.toContain(true);
  });
});
