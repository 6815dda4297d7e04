import { describe, expect, it } from 'vitest';
import { displayPath, driftJson, renderDriftJson, renderDriftTable } from '../../../src/drift/drift-report.js';
import { noResultReport, sampleReport } from './report-fixture.js';

describe('renderDriftTable', () => {
  it('shows each container, its result, warnings, counts and drift lines (rule, kind, path), then a summary', () => {
    const t = renderDriftTable(sampleReport());
    expect(t).toContain('container  web-a (aaaaaaaaaaaa), image example/web:1 (81173adb2d25), running');
    expect(t).toContain('result     results/web.json (example/web:1, 81173adb2d25; matched by id)');
    expect(t).toContain('warning    the container runs image X, the result profiled Y');
    expect(t).toContain('changes    mounted 1, profiled 0, drift 5 (4 parent directories folded)');
    expect(t).toMatch(/drift\/modified-binary {3}added {4}\/usr\/bin\/new tool\n/);
    expect(t).toMatch(/drift\/new-system-file {3}added {4}\/etc\/ü\.conf\n/);
    expect(t).toMatch(/drift\/deleted-file {6}deleted {2}\/etc\/issue\n/);
    expect(t).toMatch(/drift\/unexpected-write {2}added {4}\/srv\/x\n/);
    expect(t.trimEnd().split('\n').at(-1)).toBe('drift: 5 changes in 1 of 2 containers');
    // Programs first, then system files, deletions, other writes.
    expect(t.indexOf('/usr/bin/yes')).toBeLessThan(t.indexOf('/etc/ü.conf'));
  });

  it('with no result: the image facts and the changes by directory', () => {
    const t = renderDriftTable(noResultReport());
    expect(t).toContain('image      user www-data, declared volumes /data');
    expect(t).toContain('changes    mounted 0, drift 4, unclassified 2');
    expect(t).toMatch(/DIRECTORY +ADDED +CHANGED +DELETED +DRIFT/);
    expect(t).toMatch(/\/usr\/bin +1 +1 +0 +2/);
    expect(t).toContain('stopped');
  });

  it('no containers, no drift', () => {
    expect(renderDriftTable({ containers: [], notes: [] })).toBe('no container checked\n');
    const clean = sampleReport();
    expect(renderDriftTable({ ...clean, containers: clean.containers.slice(0, 1) })).toContain('no drift in 1 container\n');
  });

  it('a control character in a name is quoted, so one change stays one row', () => {
    expect(displayPath('/srv/a\nb')).toBe('"/srv/a\\nb"');
    expect(displayPath('/srv/a b/ü')).toBe('/srv/a b/ü');
  });
});

describe('driftJson', () => {
  it('lists each drift change under its rule, every change with its class, and the summary', () => {
    const j = driftJson(sampleReport(), '1.2.3') as { drift: boolean; summary: object; notes: string[]; containers: { container: { name: string }; drift: object[]; counts: object; changes: object[]; warnings: object[] }[] };
    expect(j.drift).toBe(true);
    expect(j.summary).toEqual({ containers: 2, withDrift: 1, driftChanges: 5 });
    expect(j.notes).toEqual(['skipped results/notes.json: not JSON']);
    const b = j.containers[1]!;
    expect(b.container.name).toBe('web-b');
    expect(b.drift).toEqual([
      { rule: 'drift/modified-binary', kind: 'added', path: '/usr/bin/new tool' },
      { rule: 'drift/modified-binary', kind: 'modified', path: '/usr/bin/yes' },
      { rule: 'drift/new-system-file', kind: 'added', path: '/etc/ü.conf' },
      { rule: 'drift/deleted-file', kind: 'deleted', path: '/etc/issue' },
      { rule: 'drift/unexpected-write', kind: 'added', path: '/srv/x' },
    ]);
    expect(b.counts).toEqual({ mounted: 1, profiled: 0, drift: 5, unclassified: 0, folded: 4 });
    expect(b.changes).toContainEqual({ path: '/run/app.pid', kind: 'added', class: 'mounted' });
    expect(j.containers[0]!.warnings).toEqual([{ kind: 'image-mismatch', message: 'the container runs image X, the result profiled Y' }]);
  });

  it('is the same bytes for the same report, and carries the groups and image facts without a result', () => {
    expect(renderDriftJson(sampleReport(), '1')).toBe(renderDriftJson(sampleReport(), '1'));
    const j = driftJson(noResultReport(), '1') as { containers: { image: object; groups: { dir: string }[]; result?: object }[] };
    expect(j.containers[0]!.image).toEqual({ ref: 'example/web:1', id: expect.stringMatching(/^sha256:/), user: 'www-data', volumes: ['/data'] });
    expect(j.containers[0]!.groups.map((g) => g.dir)).toEqual(['/etc', '/run', '/srv', '/usr/bin']);
    expect(j.containers[0]!.result).toBeUndefined();
  });
});
