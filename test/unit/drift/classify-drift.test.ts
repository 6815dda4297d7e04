import { describe, expect, it } from 'vitest';
import { classifyDrift, driftRuleFor, executableCandidates, type ClassifiedChange } from '../../../src/drift/classify-drift.js';
import type { DriftExpectations } from '../../../src/drift/expectations.js';
import type { FsChange } from '../../../src/model/write-event.js';

const A = (path: string): FsChange => ({ kind: 'added', path });
const C = (path: string): FsChange => ({ kind: 'modified', path });
const D = (path: string): FsChange => ({ kind: 'deleted', path });

const expect0: DriftExpectations = {
  mountPaths: ['/run', '/var/log/app'],
  written: new Set(['/etc/app/generated.conf', '/srv/app/state.json']),
  deleted: new Set(['/etc/app/default.conf']),
  ownedDirs: ['/srv/app/sessions'],
};

const byPath = (cs: readonly ClassifiedChange[]) => Object.fromEntries(cs.map((c) => [c.path, c.rule ?? c.class]));

describe('classifyDrift', () => {
  it('folds directories reported as changed only because something under them changed', () => {
    const c = classifyDrift([C('/var'), C('/var/log'), C('/var/log/app'), A('/var/log/app/x.log'), C('/etc'), D('/etc/issue')], { expectations: expect0, mountPoints: [] });
    expect(c.folded).toEqual(['/etc', '/var', '/var/log', '/var/log/app']);
    expect(c.changes.map((x) => x.path)).toEqual(['/etc/issue', '/var/log/app/x.log']);
    expect(c.counts).toEqual({ mounted: 1, profiled: 0, drift: 1, unclassified: 0 });
  });

  it('keeps a changed directory with nothing changed under it, and an added directory with children', () => {
    const c = classifyDrift([C('/etc/ssl'), A('/srv/new'), A('/srv/new/f')], { expectations: expect0, mountPoints: [] });
    expect(c.folded).toEqual([]);
    expect(byPath(c.changes)).toEqual({ '/etc/ssl': 'drift/new-system-file', '/srv/new': 'drift/unexpected-write', '/srv/new/f': 'drift/unexpected-write' });
  });

  it('a folded ancestor is found through names with spaces and Unicode, and a sibling sharing a prefix is not its child', () => {
    const c = classifyDrift([C('/srv/a dir'), A('/srv/a dir/ü/f g'), C('/srv/a'), C('/srv/a dirt')], { mountPoints: [] });
    expect(c.folded).toEqual(['/srv/a dir']);
    expect(c.changes.map((x) => x.path)).toEqual(['/srv/a', '/srv/a dir/ü/f g', '/srv/a dirt']);
  });

  it('sorts each rule: programs, system files, deletions, other writes', () => {
    const c = classifyDrift([A('/usr/bin/evil'), C('/usr/bin/yes'), A('/etc/cron.d/evil job'), D('/etc/issue'), D('/usr/bin/gone'), A('/srv/data/x'), A('/opt/tool/bin/t')], { expectations: expect0, mountPoints: [] });
    expect(byPath(c.changes)).toEqual({
      '/usr/bin/evil': 'drift/modified-binary',
      '/usr/bin/yes': 'drift/modified-binary',
      '/opt/tool/bin/t': 'drift/modified-binary',
      '/etc/cron.d/evil job': 'drift/new-system-file',
      '/etc/issue': 'drift/deleted-file',
      '/usr/bin/gone': 'drift/deleted-file',
      '/srv/data/x': 'drift/unexpected-write',
    });
  });

  it('mounted: under a mount of the result, or of the container now, and the mount points the engine made above one', () => {
    const c = classifyDrift([A('/run/app.pid'), A('/var/log/app/a b.log'), D('/var/log/app/old.log'), A('/data'), A('/data/x'), A('/mnt'), A('/mnt/cache'), A('/var/log/apps')], {
      expectations: expect0,
      mountPoints: ['/data', '/mnt/cache/deep'],
    });
    expect(byPath(c.changes)).toEqual({
      '/run/app.pid': 'mounted',
      '/var/log/app/a b.log': 'mounted',
      '/var/log/app/old.log': 'mounted',
      '/data': 'mounted',
      '/data/x': 'mounted',
      '/mnt': 'mounted',
      '/mnt/cache': 'mounted',
      '/var/log/apps': 'drift/unexpected-write',
    });
  });

  it('profiled: a path the profile saw written, a new name in a directory the app made, a deletion the profile saw', () => {
    const c = classifyDrift([C('/etc/app/generated.conf'), C('/srv/app/state.json'), A('/srv/app/sessions/s-81f2'), D('/etc/app/default.conf'), D('/srv/app/state.json'), A('/srv/app/sessions2')], {
      expectations: expect0,
      mountPoints: [],
    });
    expect(byPath(c.changes)).toEqual({
      '/etc/app/generated.conf': 'profiled',
      '/srv/app/sessions/s-81f2': 'profiled',
      '/etc/app/default.conf': 'profiled',
      // Written in the profile is not deleted in the profile: the image shipped it and now it is gone.
      '/srv/app/state.json': 'drift/deleted-file',
      '/srv/app/sessions2': 'drift/unexpected-write',
    });
  });

  it('an executable file anywhere is a program', () => {
    const changes = [A('/srv/app/run.sh'), A('/srv/app/notes.txt'), A('/etc/app/hook')];
    const first = classifyDrift(changes, { expectations: expect0, mountPoints: [] });
    expect(executableCandidates(first)).toEqual(['/etc/app/hook', '/srv/app/notes.txt', '/srv/app/run.sh']);
    const c = classifyDrift(changes, { expectations: expect0, mountPoints: [], executables: new Set(['/srv/app/run.sh', '/etc/app/hook']) });
    expect(byPath(c.changes)).toEqual({ '/etc/app/hook': 'drift/modified-binary', '/srv/app/notes.txt': 'drift/unexpected-write', '/srv/app/run.sh': 'drift/modified-binary' });
  });

  it('with no result: system trees, programs and deletions are drift, the rest unclassified, and nothing is profiled', () => {
    const c = classifyDrift([C('/etc'), A('/etc/evil'), C('/usr'), C('/usr/bin'), A('/usr/bin/x'), D('/srv/app/shipped'), A('/srv/app/state.json'), A('/run/app.pid'), A('/data/x')], { mountPoints: ['/data'] });
    expect(byPath(c.changes)).toEqual({
      '/etc/evil': 'drift/new-system-file',
      '/usr/bin/x': 'drift/modified-binary',
      '/srv/app/shipped': 'drift/deleted-file',
      '/srv/app/state.json': 'unclassified',
      '/run/app.pid': 'unclassified',
      '/data/x': 'mounted',
    });
    expect(c.counts).toEqual({ mounted: 1, profiled: 0, drift: 3, unclassified: 2 });
    // Unclassified files are not asked about: with no result a script the app writes is no drift by itself.
    expect(executableCandidates(c)).toEqual(['/etc/evil']);
  });

  it('a path listed twice counts once', () => {
    expect(classifyDrift([A('/srv/x'), A('/srv/x')], { mountPoints: [] }).changes).toHaveLength(1);
  });

  it('no changes: nothing to report', () => {
    expect(classifyDrift([], { expectations: expect0, mountPoints: [] })).toEqual({ changes: [], folded: [], counts: { mounted: 0, profiled: 0, drift: 0, unclassified: 0 } });
  });
});

describe('driftRuleFor', () => {
  it('a deletion is a deleted file even in a program directory', () => {
    expect(driftRuleFor(D('/usr/bin/env'), new Set(), true)).toBe('drift/deleted-file');
  });

  it('without a result a write outside the system trees breaks no rule', () => {
    expect(driftRuleFor(A('/srv/x'), new Set(), false)).toBeUndefined();
    expect(driftRuleFor(A('/srv/x'), new Set(), true)).toBe('drift/unexpected-write');
  });
});
