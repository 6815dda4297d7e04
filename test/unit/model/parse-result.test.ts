import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseResult } from '../../../src/model/parse-result.js';

const NGINX_TEXT = readFileSync(new URL('../../fixtures/results/nginx.json', import.meta.url), 'utf8');
const HINT = 'Give a file written by "ro-profile IMAGE --format json".';

function without(path: string[]): string {
  const data = JSON.parse(NGINX_TEXT) as Record<string, unknown>;
  let obj = data;
  for (const k of path.slice(0, -1)) obj = obj[k] as Record<string, unknown>;
  delete obj[path.at(-1)!];
  return JSON.stringify(data);
}

describe('parseResult', () => {
  it('reads a saved result back as it was written', () => {
    const result = parseResult(NGINX_TEXT, 'nginx.json');
    expect(result).toEqual(JSON.parse(NGINX_TEXT));
    expect(result.plan.mounts.map((m) => m.path)).toEqual(['/run', '/var/lib/nginx', '/var/log/nginx']);
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseResult('docker run --read-only nginx\n', 'out.sh')).toThrow(
      expect.objectContaining({ code: 'RESULT_INVALID', message: expect.stringMatching(/^out\.sh is not JSON: /), hint: HINT }),
    );
  });

  it.each([
    ['null', 'null', 'not an object'],
    ['a number', '42', 'not an object'],
    ['a newer schema', JSON.stringify({ ...JSON.parse(NGINX_TEXT), schemaVersion: 2 }), 'schemaVersion is 2, expected 1'],
    ['no schema', without(['schemaVersion']), 'schemaVersion is undefined, expected 1'],
    ['no run image', without(['run', 'image']), 'run.image is missing'],
    ['no plan', without(['plan']), 'plan.mounts is missing'],
    ['no findings', without(['findings']), 'findings is missing'],
    ['no image id', without(['image', 'id']), 'image.id is missing'],
    ['an empty object', '{}', 'schemaVersion is undefined, expected 1; run.image is missing; plan.mounts is missing; findings is missing; image.id is missing; volumes is missing; run.env is missing'],
  ])('refuses %s, saying what is wrong', (_name, text, problems) => {
    expect(() => parseResult(text, 'r.json')).toThrow(
      expect.objectContaining({ code: 'RESULT_INVALID', message: `r.json is not an ro-profile result: ${problems}`, hint: HINT }),
    );
  });
});
