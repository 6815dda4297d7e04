import { describe, expect, it } from 'vitest';
import { alternativesOf, candidateEvent, stillFailsWith } from '../../../src/verify/alternatives.js';
import type { Difference } from '../../../src/model/result.js';

const PY = "FileNotFoundError: [Errno 2] No usable temporary directory found in ['/app', '/usr/tmp', '/var/tmp', '/tmp']";
const diff = (...lines: string[]): Difference => ({ kind: 'ready', message: 'it never became ready', lines });

describe('alternativesOf', () => {
  it('orders a line\'s candidates: TMPDIR, the conventional temp dirs, then as named', () => {
    expect(alternativesOf([diff(PY)], undefined)?.candidates).toEqual(['/tmp', '/var/tmp', '/usr/tmp', '/app']);
    expect(alternativesOf([diff(PY)], '/app')?.candidates).toEqual(['/app', '/tmp', '/var/tmp', '/usr/tmp']);
  });

  it('sees no alternatives in a line that names one path', () => {
    expect(alternativesOf([diff("can't create /var/log/app.log: Read-only file system")], undefined)).toBeUndefined();
  });

  it('tells whether a later run still fails the same way (numbers aside)', () => {
    const alt = alternativesOf([diff(`[12] ${PY}`)], undefined)!;
    expect(stillFailsWith([diff(`[97] ${PY}`)], alt)).toBe(true);
    expect(stillFailsWith([diff('something else: /tmp')], alt)).toBe(false);
    expect(stillFailsWith([], alt)).toBe(false);
  });

  it('makes a candidate a change inside the directory, so the analysis mounts the directory itself', () => {
    expect(candidateEvent('/var/tmp')).toMatchObject({ realPath: '/var/tmp', op: 'modify', type: 'dir' });
  });
});
