import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emitFormat, FORMATS } from '../../../src/emit/emit.js';
import { parseResult } from '../../../src/model/parse-result.js';

const NGINX = new URL('../../fixtures/results/nginx.json', import.meta.url);
const readNginx = () => readFileSync(NGINX, 'utf8');

describe('emitFormat', () => {
  it('offers the run, compose, k8s, json and report formats', () => {
    expect(FORMATS).toEqual(['run', 'compose', 'k8s', 'json', 'report']);
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

  it('refuses an unknown format with a usage error', () => {
    const result = parseResult(readNginx(), 'nginx.json');
    expect(() => emitFormat(result, 'yaml' as never)).toThrow(expect.objectContaining({ code: 'USAGE', message: 'unknown format "yaml"' }));
  });
});
