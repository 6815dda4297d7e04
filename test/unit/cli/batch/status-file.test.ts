import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BatchEntry } from '../../../../src/cli/batch/batch-entry.js';
import { runFingerprint } from '../../../../src/cli/batch/fingerprint.js';
import { readStatus, resumedEntry, writeStatus, type StatusFile } from '../../../../src/cli/batch/status-file.js';
import { tmpDir } from '../../../helpers/tmp.js';

const base = { image: 'nginx:alpine', toolVersion: '1.0.0', flags: { verify: true, harden: 'auto', format: 'all', timeout: undefined } };

describe('runFingerprint', () => {
  it('does not depend on key order or on flags left undefined', () => {
    expect(runFingerprint({ ...base, flags: { format: 'all', harden: 'auto', verify: true } })).toBe(runFingerprint(base));
  });

  it.each([
    ['the image', { ...base, image: 'nginx:1.27' }],
    ['the tool version', { ...base, toolVersion: '1.0.1' }],
    ['a flag', { ...base, flags: { ...base.flags, verify: false } }],
    ['a flag given', { ...base, flags: { ...base.flags, timeout: '30s' } }],
    ['the exercise profile', { ...base, profileSha256: 'abc' }],
  ])('changes with %s', (_what, other) => {
    expect(runFingerprint(other)).not.toBe(runFingerprint(base));
  });
});

const success: BatchEntry = { image: 'nginx:alpine', dir: 'n', outcome: 'success', exitCode: 0, mounts: 3, files: ['docker-run.sh', 'result.json'] };
const status = (entry: BatchEntry, finished = true): StatusFile => ({ schemaVersion: 1, toolVersion: '1.0.0', fingerprint: 'sha256:f', startedAt: 't0', ...(finished ? { finishedAt: 't1' } : {}), entry });

describe('resumedEntry', () => {
  const setup = (s: StatusFile | string | undefined) => {
    const dir = tmpDir();
    for (const f of success.files!) writeFileSync(join(dir.path, f), 'x');
    if (typeof s === 'string') writeFileSync(join(dir.path, 'status.json'), s);
    else if (s) writeStatus(dir.path, s);
    return dir;
  };

  it('keeps a finished success of the same image and fingerprint, as resumed', () => {
    using dir = setup(status(success));
    expect(resumedEntry(dir.path, 'nginx:alpine', 'sha256:f')).toEqual({ ...success, outcome: 'resumed' });
  });

  it.each([
    ['another fingerprint (other options)', status(success), 'sha256:other'],
    ['a failure', status({ ...success, outcome: 'failed', exitCode: 7 }), 'sha256:f'],
    ['an unfinished run (killed)', status({ ...success, outcome: 'running' }, false), 'sha256:f'],
    ['an interrupted run', status({ ...success, outcome: 'interrupted' }), 'sha256:f'],
    ['a directory of another image', status({ ...success, image: 'nginx:1.27' }), 'sha256:f'],
    ['no status file', undefined, 'sha256:f'],
    ['a status file that is not JSON', '{"schemaVersion":1,', 'sha256:f'],
  ])('runs it again after %s', (_what, s, fingerprint) => {
    using dir = setup(s);
    expect(resumedEntry(dir.path, 'nginx:alpine', fingerprint)).toBeUndefined();
  });

  it('runs it again when a file it wrote is gone', () => {
    using dir = setup(status(success));
    rmSync(join(dir.path, 'result.json'));
    expect(resumedEntry(dir.path, 'nginx:alpine', 'sha256:f')).toBeUndefined();
  });
});

describe('writeStatus', () => {
  it('reads back what it wrote and leaves no temp file', () => {
    using dir = tmpDir();
    mkdirSync(join(dir.path, 'x'));
    writeStatus(join(dir.path, 'x'), status(success));
    expect(readStatus(join(dir.path, 'x'))).toEqual(status(success));
    expect(readdirSync(join(dir.path, 'x'))).toEqual(['status.json']);
  });
});
