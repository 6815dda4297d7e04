import { describe, expect, it } from 'vitest';
import { compareResults } from '../../../src/compare/compare-results.js';
import { emitFormat } from '../../../src/emit/emit.js';
import { emitJunit } from '../../../src/emit/junit.js';
import type { Result } from '../../../src/model/result.js';
import { example, withMounts } from '../compare/example-results.js';
import { childrenNamed, parseXml, type XmlElement } from '../../helpers/junit-xml.js';

const openLog = example('open-log');
const suitesOf = (xml: string) => childrenNamed(parseXml(xml).children[0]!, 'testsuite');
const failures = (s: XmlElement) => childrenNamed(s, 'testcase').filter((c) => childrenNamed(c, 'failure').length > 0);

describe('--format junit of a result', () => {
  it('a testsuite of mounts (a testcase each) and one per verification (a testcase per round), all passing', () => {
    const suites = suitesOf(emitJunit(openLog));
    expect(suites.map((s) => s.attrs['name'])).toEqual([`ro-profile ${openLog.image.ref}: mounts`, expect.stringMatching(/: verify with run on docker /)]);
    expect(childrenNamed(suites[0]!, 'testcase').map((c) => c.attrs['name'])).toEqual(openLog.plan.mounts.map((m) => `writable ${m.path}`));
    // Five rounds, two leave-one-out ones failing as they should (the proof a mount is needed): no failure.
    expect(childrenNamed(suites[1]!, 'testcase')).toHaveLength(openLog.verification[0]!.rounds.length);
    expect(suites.flatMap(failures)).toEqual([]);
  });

  it('a failed verification fails its last round; an error finding fails too', () => {
    const v = openLog.verification[0]!;
    const failed: Result = {
      ...openLog,
      verification: [{ ...v, result: 'fail' }],
      findings: [...openLog.findings, { kind: 'system-write', severity: 'error', path: '/etc/app.conf', message: 'writes into /etc', evidence: [] }],
    };
    const suites = suitesOf(emitJunit(failed));
    expect(failures(suites[0]!).map((c) => c.attrs['name'])).toEqual(['system-write /etc/app.conf']);
    const f = failures(suites[1]!);
    expect(f.map((c) => c.attrs['name'])).toEqual([`round ${v.rounds.length}: final`]);
    expect(suites[1]!.attrs['failures']).toBe('1');
  });

  it('with a baseline, a testsuite for it failing on the widening; deterministic bytes', () => {
    const wider = withMounts(openLog, (ms) => ms.map((m, i) => (i === 0 ? { ...m, exec: true } : m)));
    const d = compareResults(openLog, wider, { old: 'baseline.json', new: 'IMAGE' });
    const xml = emitFormat(wider, 'junit', { compose: { override: false }, k8s: { kind: 'pod', patch: false, memory: false }, baseline: d });
    const suites = suitesOf(xml);
    expect(suites.at(-1)!.attrs['name']).toBe(`ro-profile ${openLog.image.ref}: baseline baseline.json`);
    expect(failures(suites.at(-1)!).map((c) => c.attrs['name'])).toEqual([`exec-allowed ${openLog.plan.mounts[0]!.path}`]);
    expect(emitFormat(wider, 'junit', { compose: { override: false }, k8s: { kind: 'pod', patch: false, memory: false }, baseline: d })).toBe(xml);
    expect(xml).not.toMatch(/timestamp|time=/);
  });
});
