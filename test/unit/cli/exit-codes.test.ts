import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor } from '../../../src/cli/exit-codes.js';
import { ERROR_CODES } from '../../../src/errors.js';

/** README's exit-code table, row by row: what users and scripts read. */
function readmeCodes(): Map<number, string> {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.split('### Exit codes')[1]?.split('\n### ')[0] ?? '';
  const rows = [...section.matchAll(/^\| (\d+) \| (.+) \|$/gm)];
  return new Map(rows.map((m) => [Number(m[1]), m[2]!]));
}

describe("README's exit-code table and the code say the same", () => {
  it('every exit status the code has is a row, and every row is a status the code has', () => {
    expect([...readmeCodes().keys()].sort((a, b) => a - b)).toEqual(Object.values(EXIT).sort((a, b) => a - b));
  });

  it.each(ERROR_CODES)('the error code %s exits with a documented status', (code) => {
    expect(readmeCodes().has(exitCodeFor(code))).toBe(true);
  });
});
