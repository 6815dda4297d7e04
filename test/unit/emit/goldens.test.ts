import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EMIT, emitFormat, type EmitOptions, type Format } from '../../../src/emit/emit.js';
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
const GOLDEN_FILES: [flags: string, Format, EmitOptions, file: string][] = [
  ['--format run', 'run', DEFAULT_EMIT, 'docker-run.sh'],
  ['--format compose', 'compose', DEFAULT_EMIT, 'compose.yaml'],
  ['--format k8s', 'k8s', DEFAULT_EMIT, 'k8s.yaml'],
  ['--format k8s --k8s-patch', 'k8s', { ...DEFAULT_EMIT, k8s: { ...DEFAULT_EMIT.k8s, patch: true } }, 'k8s-patch.yaml'],
  ['--format report', 'report', DEFAULT_EMIT, 'report.md'],
  ['--format sarif', 'sarif', DEFAULT_EMIT, 'results.sarif'],
  ['--format junit', 'junit', DEFAULT_EMIT, 'junit.xml'],
];

const fixtures = readdirSync(RESULTS)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

describe('golden outputs of the checked-in results', () => {
  it('there is a result for every fixture image (the images only built-in profiles are tested on aside)', () => {
    // Profile test images are exercised by test/integration/profiles.test.ts and examples/profiles/.
    const profileImages = Object.values(JSON.parse(readFileSync(new URL('../../fixtures/profile-images.json', import.meta.url), 'utf8')) as Record<string, string>).map((i) => i.replace(/^ro-profile-fixture\//, '').replace(/:latest$/, ''));
    const images = readdirSync(IMAGES, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'base')
      .map((d) => d.name)
      .sort();
    expect(fixtures).toEqual(images.filter((i) => !profileImages.includes(i) || fixtures.includes(i)));
    // And every image is one or the other.
    for (const i of images) expect(fixtures.includes(i) || profileImages.includes(i), i).toBe(true);
  });

  describe.each(fixtures)('%s', (fixture) => {
    const text = readFileSync(new URL(`${fixture}.json`, RESULTS), 'utf8');
    const result = parseResult(text, `${fixture}.json`);

    it.each(GOLDEN_FILES)('%s matches its golden %s', async (_flags, format, options, file) => {
      await expect(emitFormat(result, format, options)).toMatchFileSnapshot(`../../fixtures/expected/${fixture}/${file}`);
    });

    it('--format json gives the result back byte for byte', () => {
      expect(emitFormat(result, 'json')).toBe(text);
    });
  });
});
