import { describe, expect, it, vi } from 'vitest';
import { isRoProfileError } from '../../../src/errors.js';
import { composeEnv, composeLauncher } from '../../../src/verify/compose-launcher.js';
import { sampleRun } from '../../helpers/samples.js';

describe('composeEnv', () => {
  const run = sampleRun({ env: [{ name: 'TOKEN' }, { name: 'UNSET_HERE' }] });

  it('gives compose the run\'s values, and none of ours under the same names', () => {
    const env = composeEnv({ PATH: '/usr/bin', HOME: '/root', UNSET_HERE: 'from our shell', COMPOSE_FILE: 'x.yml', COMPOSE_PROJECT_NAME: 'p' }, run, new Map([['TOKEN', 's3cr=t']]));
    // The writable run had no UNSET_HERE: the file names it, so compose must not find it either.
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/root', TOKEN: 's3cr=t' });
  });

  it('refuses a variable compose would read as its own setting', () => {
    let caught: unknown;
    try {
      composeEnv({}, run, new Map([['DOCKER_HOST', 'tcp://elsewhere:2375']]));
    } catch (e) {
      caught = e;
    }
    expect(isRoProfileError(caught) && caught.code).toBe('USAGE');
    expect((caught as Error).message).toMatch(/DOCKER_HOST/);
  });
});

describe('composeLauncher.version', () => {
  it('says docker-compose is missing, never fakes a version', async () => {
    vi.stubEnv('PATH', '/nonexistent');
    await expect(composeLauncher.version()).rejects.toMatchObject({
      code: 'USAGE',
      message: '--verify-with compose needs docker-compose, which is not installed here',
      hint: expect.stringContaining('--verify-with run'),
    });
  });
});
