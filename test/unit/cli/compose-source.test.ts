import { describe, expect, it } from 'vitest';
import { composeRunFlags, composeSummary, userFacingResult } from '../../../src/cli/compose-source.js';
import type { ComposeSource } from '../../../src/pipeline/compose-source-run.js';
import { composeServiceSource } from '../../../src/source/compose-source.js';
import { sampleResult } from '../../helpers/sample-result.js';

const doc = {
  services: { web: { image: 'shop/web:1', environment: { TOKEN: 'v4lue' }, volumes: ['data:/data'], command: ['serve'], depends_on: ['db'], secrets: ['pw'] }, db: { image: 'postgres:16' } },
  secrets: { pw: { file: '/p/pw' } },
};
const source = composeServiceSource(doc, { service: 'web', volumeName: (k) => `proj_${k}`, network: 'proj_default' });
const c: ComposeSource = { file: '/p/compose.yaml', project: 'proj', source, doc, userImage: 'shop/web:1' };
const none = { env: [], envFile: [], volume: [], mount: [], publish: [], command: [] };

describe('composeRunFlags', () => {
  it('is the service\'s, with the command line\'s added and its command winning', () => {
    const f = composeRunFlags(c, 'shop/web:1', { ...none, env: ['EXTRA=1'], volume: ['/h:/h:ro'], command: ['other'] });
    expect(f.env).toEqual(['TOKEN=v4lue', 'EXTRA=1']);
    expect(f.volume).toEqual(['proj_data:/data', '/h:/h:ro']);
    expect(f.command).toEqual(['other']);
    expect(f.network).toBe('proj_default');
    expect(composeRunFlags(c, 'shop/web:1', none).command).toEqual(['serve']);
  });

  it('refuses --network: the service joins its project\'s', () => {
    expect(() => composeRunFlags(c, 'x', { ...none, network: 'host' })).toThrow(/"--network" cannot be used with "--compose"/);
  });
});

describe('userFacingResult', () => {
  it('names the file\'s volumes and image, and drops the run\'s project network', () => {
    const r = sampleResult();
    const launched = { ...r, run: { ...r.run, image: 'ro-profile-build-proj-web:latest', network: 'proj_default', volumes: ['proj_data:/data'] }, volumes: [{ name: 'proj_data', destination: '/data', anonymous: false }] };
    const u = userFacingResult(launched, c, { volume: [], mount: [] });
    expect(u.run.image).toBe('shop/web:1');
    expect(u.run.network).toBeUndefined();
    expect(u.run.volumes).toEqual(['data:/data']);
    expect(u.volumes).toEqual([{ name: 'data', destination: '/data', anonymous: false }]);
  });

  it('names a built image as compose would, not by the run\'s temporary tag', () => {
    const built = composeServiceSource({ services: { worker: { build: { context: '/p/w' } } } }, { volumeName: (k) => k });
    const r = sampleResult();
    const u = userFacingResult({ ...r, image: { ...r.image, ref: 'ro-profile-build-proj-worker:latest' } }, { ...c, source: built, userImage: 'p_worker' }, { volume: [], mount: [] });
    expect(u.image.ref).toBe('p_worker');
    expect(u.run.image).toBe('p_worker');
  });
});

describe('composeSummary', () => {
  it('names the dependencies and the secrets, never a value', () => {
    const s = composeSummary(c);
    expect(s).toBe('service web of /p/compose.yaml; image shop/web:1; depends on db; secrets pw (names only)');
    expect(s).not.toContain('v4lue');
  });
});
