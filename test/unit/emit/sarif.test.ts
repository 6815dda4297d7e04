import { describe, expect, it } from 'vitest';
import { compareResults } from '../../../src/compare/compare-results.js';
import { DIFF_KINDS } from '../../../src/compare/diff-model.js';
import { emitFormat } from '../../../src/emit/emit.js';
import { RESULT_SARIF_RULES, resultSarif } from '../../../src/emit/sarif.js';
import { FINDING_KINDS } from '../../../src/model/mount-plan.js';
import type { Result } from '../../../src/model/result.js';
import { example, withMounts } from '../compare/example-results.js';
import { expectValidSarif } from '../../helpers/sarif.js';

const openLog = example('open-log');

describe('--format sarif of a result', () => {
  it('lists every rule by its stable id, in a fixed order', () => {
    expect(RESULT_SARIF_RULES.map(([id]) => id)).toEqual([
      'ro-profile/writable-mount',
      'ro-profile/verification-failed',
      ...FINDING_KINDS.map((k) => `ro-profile/${k}`),
      ...DIFF_KINDS.map((k) => `ro-profile/${k}`),
    ]);
    const log = resultSarif(openLog);
    expectValidSarif(log);
    expect(log.runs[0]!.tool.driver).toMatchObject({ name: 'ro-profile', version: openLog.tool.version });
  });

  it('a note per writable mount and a result per finding at its severity, under the image root', () => {
    const run = resultSarif(openLog).runs[0]!;
    expect(run.results?.map((r) => [r.ruleId, r.level, r.properties?.['path']])).toEqual([
      ...openLog.plan.mounts.map((m) => ['ro-profile/writable-mount', 'note', m.path]),
      ['ro-profile/log-file', 'note', '/var/log/open-log'],
      ['ro-profile/shadowed-content', 'note', '/var/log/open-log'],
      ['ro-profile/symlink-alias', 'note', '/var/run'],
    ]);
    expect(run.results![0]!.locations![0]!.physicalLocation?.artifactLocation).toMatchObject({ uriBaseId: 'IMAGE_ROOT' });
    expect(run.results![0]!.locations![0]!.logicalLocations?.[0]).toMatchObject({ name: openLog.image.ref, fullyQualifiedName: openLog.image.id });
  });

  it('a failed verification is an error located at the image, with the paths it named', () => {
    const v = openLog.verification[0]!;
    const failed: Result = { ...openLog, verification: [{ ...v, result: 'fail', rounds: [{ ...v.rounds[0]!, differences: [{ kind: 'log', message: 'new error lines', paths: ['/var/cache/x y'] }] }] }] };
    const log = resultSarif(failed);
    expectValidSarif(log);
    const r = log.runs[0]!.results!.find((x) => x.ruleId === 'ro-profile/verification-failed')!;
    expect(r.level).toBe('error');
    expect(r.message.text).toContain('new error lines');
    expect(r.properties?.['paths']).toEqual(['/var/cache/x y']);
    expect(r.locations![0]!.physicalLocation?.artifactLocation?.uri).toBe(encodeURIComponent('ro-profile-fixture') + '/' + encodeURIComponent(openLog.image.ref.split('/')[1]!));
    // The pass case has none.
    expect(resultSarif(openLog).runs[0]!.results!.some((x) => x.ruleId === 'ro-profile/verification-failed')).toBe(false);
  });

  it('with a baseline, the widening is an error in the same log', () => {
    const wider = withMounts(openLog, (ms) => [...ms, { ...ms[0]!, path: '/srv/new' }]);
    const log = resultSarif(wider, compareResults(openLog, wider, { old: 'baseline.json', new: 'IMAGE' }));
    expectValidSarif(log);
    expect(log.runs[0]!.results!.filter((x) => x.level === 'error').map((x) => x.ruleId)).toEqual(['ro-profile/new-writable-path']);
  });

  it('emitFormat sarif is the same bytes each time, with no header comment (JSON has none)', () => {
    const text = emitFormat(openLog, 'sarif');
    expect(emitFormat(openLog, 'sarif')).toBe(text);
    expect(JSON.parse(text).version).toBe('2.1.0');
  });
});
