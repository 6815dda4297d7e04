import { describe, expect, it } from 'vitest';
import { mountPointFilter } from '../../../src/pipeline/user-volumes.js';

describe('mountPointFilter', () => {
  const ignore = mountPointFilter(['/srv/app/config', '/data']);
  it.each([
    ['/srv/app/config', true],
    // The runtime creates the mount point's parents: they show in the diff too.
    ['/srv/app', true],
    ['/srv', true],
    ['/srv/app/config/app.yaml', true],
    ['/data/x/y', true],
    ['/srv/app/configs', false],
    ['/srv/app/conf', false],
    ['/srv/ap', false],
    ['/database', false],
    ['/tmp', false],
  ])('%s: %s', (path, expected) => {
    expect(ignore(path)).toBe(expected);
  });

  it('ignores nothing without mount points', () => {
    expect(mountPointFilter([])('/srv')).toBe(false);
  });
});
