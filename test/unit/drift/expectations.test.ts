import { describe, expect, it } from 'vitest';
import { expectationsFromResult } from '../../../src/drift/expectations.js';
import type { Result } from '../../../src/model/result.js';
import { sampleResult } from '../../helpers/sample-result.js';

describe('expectationsFromResult', () => {
  it('reads the mounts, the user volumes, the volumes seen and the declared ones as mount paths', () => {
    const e = expectationsFromResult(sampleResult());
    // The plan's two, the -v and --mount targets, the declared VOLUME (also seen).
    expect(e.mountPaths).toEqual(['/srv/app/cache', '/srv/app/config', '/srv/app/data', '/srv/app/uploads', '/var/log/app']);
  });

  it('reads written and deleted paths from the changes and the events, and not what was only executed', () => {
    const base = sampleResult();
    const r: Result = { ...base, events: [...base.events, { path: '/usr/bin/helper', realPath: '/usr/bin/helper', op: 'exec', source: 'strace' }, { path: '/var/run/app.pid', realPath: '/run/app.pid', op: 'open-write', source: 'strace' }] };
    const e = expectationsFromResult(r);
    expect([...e.written].sort()).toEqual(['/run/app.pid', '/srv/app/data', '/srv/app/data/app.db', '/var/log/app/app.log', '/var/run/app.pid']);
    expect([...e.deleted]).toEqual(['/var/log/app/stale.log']);
  });

  it('a directory the app created and the --persist paths are the app’s to fill', () => {
    expect(expectationsFromResult(sampleResult()).ownedDirs).toEqual(['/srv/app/data']);
  });

  it('resolves a user target named through a link of the image', () => {
    const base = sampleResult();
    const r: Result = { ...base, run: { ...base.run, volumes: ['state:/var/run/app'], mounts: [] } };
    expect(expectationsFromResult(r).mountPaths).toContain('/run/app');
  });
});
