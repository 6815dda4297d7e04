import { describe, expect, it } from 'vitest';
import { verificationError } from '../../../src/cli/verification-exit.js';
import type { Difference, Result } from '../../../src/model/result.js';
import { AFTER_RESTART } from '../../../src/verify/compare.js';
import { sampleResult } from '../../helpers/sample-result.js';

/** The sample result (a tmpfs at /var/log/app, a volume at /srv/app/data) whose last round failed with these differences. */
function failedWith(differences: Difference[]): Result {
  const r = sampleResult();
  const v = r.verification[0]!;
  return { ...r, verification: [{ ...v, result: 'fail', rounds: [{ kind: 'final', mounts: [], result: 'fail', differences }] }] };
}

describe('verificationError', () => {
  it('names the failing paths the lines named, and says to add them', () => {
    const err = verificationError(failedWith([{ kind: 'log', message: '1 new error line in the logs', lines: ['open /srv/app/cache/x: read-only file system'], paths: ['/srv/app/cache/x'] }]));
    expect(err.code).toBe('VERIFY_FAILED');
    expect(err.message).toContain('failing paths: /srv/app/cache/x');
    expect(err.hint).toContain('--persist/--ephemeral');
  });

  it('a step after the profile\'s restart: the hint names the tmpfs mounts, which start empty at every start', () => {
    const err = verificationError(failedWith([{ kind: 'exec', message: `the profile's step "test -s /var/log/app/app.log"${AFTER_RESTART} exited 1, in the writable run 0` }]));
    const tmpfs = sampleResult().plan.mounts.filter((m) => m.kind === 'tmpfs').map((m) => m.path);
    expect(tmpfs.length).toBeGreaterThan(0);
    expect(err.hint).toContain(`if the app keeps state in ${tmpfs.join(', ')}, keep it on a volume with --persist PATH`);
  });

  it('a step before any restart gets the general hint', () => {
    const err = verificationError(failedWith([{ kind: 'exec', message: '--exec "true" exited 1, in the writable run 0' }]));
    expect(err.message).toContain('no path was named by what it printed');
    expect(err.hint).not.toContain('restart');
  });
});
