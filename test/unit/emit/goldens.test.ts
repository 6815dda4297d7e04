import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emitFormat, type Format } from '../../../src/emit/emit.js';
import { parseResult } from '../../../src/model/parse-result.js';

/**
 * Goldens from stable inputs: each checked-in result in test/fixtures/results/ (written by
 * scripts/make-results.sh from a real profile of a fixture image; nginx.json is the hand-edited
 * one other unit tests use) is emitted in every text format and compared with
 * test/fixtures/expected/<fixture>/. No Docker, no clock: the same result gives the same bytes.
 * After a deliberate change: `npx vitest run --project unit test/unit/emit/goldens.test.ts -u`,
 * then read the diff of test/fixtures/expected.
 */
const RESULTS = new URL('../../fixtures/results/', import.meta.url);
const IMAGES = new URL('../../fixtures/images/', import.meta.url);
const GOLDEN_FILES: [Format, string][] = [
  ['run', 'docker-run.sh'],
  ['compose', 'compose.yaml'],
  ['report', 'report.md'],
];

const fixtures = readdirSync(RESULTS)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

describe('golden outputs of the checked-in results', () => {
  it('there is a result for every fixture image', () => {
    const images = readdirSync(IMAGES, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'base')
      .map((d) => d.name)
      .sort();
    expect(fixtures).toEqual(images);
  });

  describe.each(fixtures)('%s', (fixture) => {
    const text = readFileSync(new URL(`${fixture}.json`, RESULTS), 'utf8');
    const result = parseResult(text, `${fixture}.json`);

    it.each(GOLDEN_FILES)('--format %s matches its golden %s', async (format, file) => {
      await expect(emitFormat(result, format)).toMatchFileSnapshot(`../../fixtures/expected/${fixture}/${file}`);
    });

    it('--format json gives the result back byte for byte', () => {
      expect(emitFormat(result, 'json')).toBe(text);
    });
  });
});
