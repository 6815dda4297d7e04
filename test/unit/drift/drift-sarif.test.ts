import { describe, expect, it } from 'vitest';
import { DRIFT_RULES } from '../../../src/drift/classify-drift.js';
import { driftSarif, pathUri, renderDriftSarif } from '../../../src/drift/drift-sarif.js';
import { sampleReport } from './report-fixture.js';

describe('driftSarif', () => {
  const log = driftSarif(sampleReport(), '1.2.3');
  const run = log.runs[0]!;

  it('is SARIF 2.1.0 with one run of ro-profile and every drift rule, by its stable id', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'ro-profile', version: '1.2.3' });
    expect(run.tool.driver.rules?.map((r) => r.id)).toEqual([...DRIFT_RULES]);
    for (const r of run.tool.driver.rules ?? []) {
      expect(r.shortDescription?.text).toBeTruthy();
      expect(['error', 'warning']).toContain(r.defaultConfiguration?.level);
    }
  });

  it('has one result per drift change, with ruleId, level, the path under CONTAINER_ROOT and the container as a logical location', () => {
    expect(run.results?.map((r) => [r.ruleId, r.level])).toEqual([
      ['drift/modified-binary', 'error'],
      ['drift/modified-binary', 'error'],
      ['drift/new-system-file', 'error'],
      ['drift/deleted-file', 'warning'],
      ['drift/unexpected-write', 'warning'],
    ]);
    const first = run.results![0]!;
    const loc = first.locations![0]!;
    expect(loc.physicalLocation?.artifactLocation).toMatchObject({ uri: 'usr/bin/new%20tool', uriBaseId: 'CONTAINER_ROOT' });
    expect(loc.logicalLocations).toEqual([{ name: 'web-b', fullyQualifiedName: 'b'.repeat(64), kind: 'resource' }]);
    expect(first.ruleIndex).toBe(0);
    expect(first.message.text).toContain('/usr/bin/new tool');
    expect(first.properties).toMatchObject({ container: 'web-b', path: '/usr/bin/new tool', kind: 'added' });
    expect(run.originalUriBaseIds?.['CONTAINER_ROOT']?.uri).toBe('file:///');
    expect(run.artifacts?.every((a) => a.location?.uriBaseId === 'CONTAINER_ROOT')).toBe(true);
  });

  it('carries the image-mismatch warning and the notes as notifications of the invocation', () => {
    const n = run.invocations?.[0]?.toolExecutionNotifications?.map((x) => [x.level, x.message.text]);
    expect(n).toEqual([
      ['warning', 'web-a: the container runs image X, the result profiled Y'],
      ['note', 'skipped results/notes.json: not JSON'],
    ]);
  });

  it('serialises to JSON that parses back to the same log, the same each time', () => {
    const text = renderDriftSarif(sampleReport(), '1.2.3');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(driftSarif(sampleReport(), '1.2.3'))));
    expect(renderDriftSarif(sampleReport(), '1.2.3')).toBe(text);
  });

  it('a clean report still names the rules, with no results', () => {
    const clean = driftSarif({ containers: [], notes: [] }, '1');
    expect(clean.runs[0]!.tool.driver.rules).toHaveLength(DRIFT_RULES.length);
    expect(clean.runs[0]!.results).toEqual([]);
  });
});

describe('pathUri', () => {
  it.each([
    ['/usr/bin/x', 'usr/bin/x'],
    ['/etc/a b/ü.conf', 'etc/a%20b/%C3%BC.conf'],
    ['/srv/100%/#x?', 'srv/100%25/%23x%3F'],
  ])('%s is %s', (path, uri) => {
    expect(pathUri(path)).toBe(uri);
  });
});
