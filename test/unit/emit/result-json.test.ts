import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emitResultJson } from '../../../src/emit/result-json.js';
import type { Result } from '../../../src/model/result.js';

const NGINX = new URL('../../fixtures/results/nginx.json', import.meta.url);

describe('emitResultJson', () => {
  it('writes two-space JSON with a final newline', () => {
    const result = JSON.parse(readFileSync(NGINX, 'utf8')) as Result;
    const text = emitResultJson(result);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,');
  });

  it('keeps the key order the result was built with', () => {
    const result = JSON.parse(readFileSync(NGINX, 'utf8')) as Result;
    expect(Object.keys(JSON.parse(emitResultJson(result)) as object)).toEqual([
      'schemaVersion', 'tool', 'image', 'run', 'exercise', 'changes', 'volumes', 'fs', 'events', 'analysis', 'plan', 'findings', 'verification', 'usage', 'limits',
    ]);
  });
});
