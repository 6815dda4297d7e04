import { describe, expect, it } from 'vitest';
import { parseBytes, parseDuration } from '../../../src/cli/durations.js';

describe('parseDuration', () => {
  it.each<[string | number, number]>([
    ['30', 30_000],
    [30, 30_000],
    ['30s', 30_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    ['0.25ms', 0],
    [' 2m ', 120_000],
    ['0', 0],
  ])('reads %j as %i ms', (value, ms) => {
    expect(parseDuration('timeout', value)).toBe(ms);
  });

  it.each(['-1s', '1d', 'abc', '', '1 s', '.5s'])('refuses %j as a usage error', (value) => {
    expect(() => parseDuration('timeout', value)).toThrow(
      expect.objectContaining({ code: 'USAGE', message: `"--timeout ${value.trim()}" is not a duration`, hint: 'Write it like 30s, 500ms, 2m, or a number of seconds.' }),
    );
  });
});

describe('parseBytes', () => {
  it.each([
    ['1073741824', 1024 ** 3],
    ['512m', 512 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1G', 1024 ** 3],
    ['1gb', 1024 ** 3],
    ['1GiB', 1024 ** 3],
    ['1.5k', 1536],
    ['2t', 2 * 1024 ** 4],
    ['100b', 100],
  ])('reads %j as %i bytes', (value, bytes) => {
    expect(parseBytes('memory', value)).toBe(bytes);
  });

  it.each(['1x', '', 'm', '-1g', '1 g'])('refuses %j as a usage error', (value) => {
    expect(() => parseBytes('memory', value)).toThrow(expect.objectContaining({ code: 'USAGE', message: `"--memory ${value}" is not a size` }));
  });
});
