import { describe, expect, it } from 'vitest';
import { compareResults } from '../../../src/compare/compare-results.js';
import { diffJson, renderDiffJson, renderDiffTable } from '../../../src/compare/diff-report.js';
import { diffSarif, renderDiffSarif } from '../../../src/compare/diff-sarif.js';
import { DIFF_KINDS } from '../../../src/compare/diff-model.js';
import { diffJunit } from '../../../src/emit/junit.js';
import { childrenNamed, parseXml } from '../../helpers/junit-xml.js';
import { expectValidSarif } from '../../helpers/sarif.js';
import { example, withMounts } from './example-results.js';

const nginx = example('nginx');
const PATH = '/srv/a b\nc ü%#?';
const wider = withMounts(nginx, (ms) => [...ms.filter((m) => m.path !== '/var/log/nginx'), { ...ms[0]!, path: PATH, exec: true }]);
const d = compareResults(nginx, wider, { old: 'base line.json', new: 'new.json' });

describe('diff outputs', () => {
  it('the table marks gating rows FAIL, quotes a path holding a newline, and sums up', () => {
    const t = renderDiffTable(d);
    expect(t).toContain('old  base line.json (ro-profile-fixture/nginx:latest)');
    expect(t).toMatch(/FAIL {2}new-writable-path {2}"\/srv\/a b\\nc ü%#\?"/);
    expect(t).toMatch(/info {2}dropped-mount +\/var\/log\/nginx/);
    expect(t.trimEnd().split('\n').at(-1)).toBe('widened: 1 change widens the config, 1 other change');
  });

  it('the JSON keeps the exact path and says which changes gate', () => {
    const j = JSON.parse(renderDiffJson(d, '9.9.9'));
    expect(j).toEqual(JSON.parse(JSON.stringify(diffJson(d, '9.9.9'))));
    expect(j.widened).toBe(true);
    expect(j.changes).toEqual([
      { kind: 'new-writable-path', widening: true, path: PATH, message: expect.any(String), new: 'tmpfs' },
      { kind: 'dropped-mount', widening: false, path: '/var/log/nginx', message: expect.any(String), old: 'tmpfs' },
    ]);
  });

  it('SARIF: every diff kind a rule, an error per widening and a note per other change, the path under IMAGE_ROOT', () => {
    const log = diffSarif(d, '9.9.9');
    expectValidSarif(log);
    const run = log.runs[0]!;
    expect(run.tool.driver.rules?.map((r) => r.id)).toEqual(DIFF_KINDS.map((k) => `ro-profile/${k}`));
    expect(run.results?.map((r) => [r.ruleId, r.level])).toEqual([
      ['ro-profile/new-writable-path', 'error'],
      ['ro-profile/dropped-mount', 'note'],
    ]);
    const loc = run.results![0]!.locations![0]!;
    expect(loc.physicalLocation?.artifactLocation).toMatchObject({ uri: 'srv/a%20b%0Ac%20%C3%BC%25%23%3F', uriBaseId: 'IMAGE_ROOT' });
    expect(loc.logicalLocations?.[0]).toMatchObject({ name: 'ro-profile-fixture/nginx:latest' });
    expect(run.results![0]!.properties).toMatchObject({ path: PATH, widening: true, baseline: 'base line.json' });
    expect(renderDiffSarif(d, '9.9.9')).toBe(renderDiffSarif(d, '9.9.9'));
  });

  it('JUnit: one testsuite, a failing testcase per widening, a passing one per other change', () => {
    const x = diffJunit(d);
    expect(diffJunit(d)).toBe(x);
    const suites = parseXml(x).children[0]!;
    expect(suites.name).toBe('testsuites');
    const suite = childrenNamed(suites, 'testsuite')[0]!;
    expect(suite.attrs).toMatchObject({ tests: '2', failures: '1' });
    const cases = childrenNamed(suite, 'testcase');
    expect(cases[0]!.attrs['name']).toBe(JSON.stringify(`new-writable-path ${PATH}`));
    expect(childrenNamed(cases[0]!, 'failure')[0]!.attrs['type']).toBe('new-writable-path');
    expect(childrenNamed(cases[1]!, 'failure')).toEqual([]);
    // No change: still one passing case, so a runner shows the gate ran.
    const clean = parseXml(diffJunit(compareResults(nginx, nginx, { old: 'a', new: 'b' }))).children[0]!;
    expect(clean.attrs).toMatchObject({ tests: '1', failures: '0' });
  });
});
