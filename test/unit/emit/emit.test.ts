import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emitFormat, FORMATS } from '../../../src/emit/emit.js';
import { parseResult } from '../../../src/model/parse-result.js';

const NGINX = new URL('../../fixtures/results/nginx.json', import.meta.url);
const readNginx = () => readFileSync(NGINX, 'utf8');

describe('emitFormat', () => {
  it('offers the run, compose, k8s, json, report, sarif and junit formats', () => {
    expect(FORMATS).toEqual(['run', 'compose', 'k8s', 'json', 'report', 'sarif', 'junit']);
  });

  it('prints the hardened docker run line of the nginx result', async () => {
    const result = parseResult(readNginx(), 'nginx.json');
    await expect(emitFormat(result, 'run')).toMatchFileSnapshot('../../fixtures/expected/nginx/docker-run.sh');
  });

  it('prints the Markdown report of the nginx result', () => {
    const result = parseResult(readNginx(), 'nginx.json');
    expect(emitFormat(result, 'report')).toMatch(/^# Write profile of `ro-profile-fixture\/nginx:latest`\n/);
  });

  it('gives the saved JSON back byte for byte', () => {
    const text = readNginx();
    expect(emitFormat(parseResult(text, 'nginx.json'), 'json')).toBe(text);
  });

  it('re-emits the JSON it printed byte-identically, and the same run line from it', () => {
    const first = parseResult(readNginx(), 'nginx.json');
    const json = emitFormat(first, 'json');
    const second = parseResult(json, 'stdout');
    expect(emitFormat(second, 'json')).toBe(json);
    expect(emitFormat(second, 'run')).toBe(emitFormat(first, 'run'));
    expect(emitFormat(second, 'report')).toBe(emitFormat(first, 'report'));
  });

  it('marks a config that cannot run read-only as is (exit 8) with the same UNVERIFIED header as a failed one (exit 7)', () => {
    const result = parseResult(readNginx(), 'nginx.json');
    const blocked = { ...result, findings: [...result.findings, { kind: 'system-write' as const, severity: 'error' as const, path: '/etc', message: 'writes /etc/x', evidence: ['/etc/x'] }] };
    for (const f of ['run', 'compose', 'k8s'] as const) {
      const first = emitFormat(blocked, f).split('\n')[0];
      expect(first).toBe('# UNVERIFIED: this config cannot run read-only as is: the app writes straight into /etc, which no mount may cover (see the findings in the report); it was not run');
    }
    const failed = { ...result, verification: [{ format: 'run', runtime: 'docker', version: '1', result: 'fail' as const, rounds: [{ kind: 'verify' as const, mounts: [], result: 'fail' as const, differences: [{ kind: 'state' as const, message: 'it never became ready' }] }] }] };
    expect(emitFormat(failed, 'run').split('\n')[0]).toMatch(/^# UNVERIFIED: under this config it never became ready/);
    // A verified config has no such header; the comment it may carry is about its logs.
    expect(emitFormat(result, 'run').startsWith('# UNVERIFIED')).toBe(false);
    expect(emitFormat(result, 'run').split('\n')[0]).toMatch(/^# logs: /);
  });

  it('refuses an unknown format with a usage error', () => {
    const result = parseResult(readNginx(), 'nginx.json');
    expect(() => emitFormat(result, 'yaml' as never)).toThrow(expect.objectContaining({ code: 'USAGE', message: 'unknown format "yaml"' }));
  });
});
