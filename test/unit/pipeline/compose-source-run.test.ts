import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { labelsOverride } from '../../../src/pipeline/compose-source-run.js';
import { composeServiceSource, type ComposeDoc } from '../../../src/source/compose-source.js';

const LABELS = { 'io.ro-profile.managed': 'true', 'io.ro-profile.session': 'ci-$HOME', 'io.ro-profile.pid': '42' };

describe('labelsOverride', () => {
  const doc: ComposeDoc = {
    services: { web: { build: { context: '/src' }, depends_on: ['db'], environment: { TOKEN: 'v4lue' } }, db: { image: 'postgres:16' }, other: { image: 'x' } },
    volumes: { data: {}, shared: { external: true } },
    networks: { back: {}, outside: { external: true } },
  };
  const source = composeServiceSource(doc, { service: 'web', volumeName: (k) => `p_${k}` });
  const over = parse(labelsOverride({ source, doc }, LABELS, 'ro-profile-build-p-web:latest'));

  it('labels each dependency (only them), the networks and volumes compose creates, escaped for compose', () => {
    expect(Object.keys(over.services).sort()).toEqual(['db', 'web']);
    expect(over.services.db.labels).toEqual({ ...LABELS, 'io.ro-profile.session': 'ci-$$HOME' });
    expect(Object.keys(over.networks).sort()).toEqual(['back', 'default']);
    expect(Object.keys(over.volumes)).toEqual(['data']);
  });

  it('tags the built image as ours (never the file\'s own image name), its build labelled', () => {
    expect(over.services.web.image).toBe('ro-profile-build-p-web:latest');
    expect(over.services.web.build.labels['io.ro-profile.managed']).toBe('true');
  });

  it('repeats no environment value', () => {
    expect(labelsOverride({ source, doc }, LABELS, undefined)).not.toContain('v4lue');
  });
});
