import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';
import { FIXTURE_CASES } from '../helpers/fixture-exercises.js';
import { tmpDir } from '../helpers/tmp.js';

/** The file each format is written to under --out DIR (README: Usage). */
const FILES = { run: 'docker-run.sh', compose: 'compose.yaml', report: 'report.md', json: 'result.json' } as const;

/**
 * `ro-profile emit RESULT.json` re-prints, without Docker, exactly the bytes the live run
 * printed: checked on a fixture with a named volume, tmpfs mounts with owners and a declared
 * VOLUME (busybox-volume), and one with --exec steps and their output (redis).
 */
describe.skipIf(!dockerAvailable())('emit RESULT.json gives the bytes of the live run', () => {
  const dir = tmpDir('ro-profile-identity-');
  afterAll(() => dir[Symbol.dispose]());

  describe.each(FIXTURE_CASES.filter((c) => ['busybox-volume', 'redis'].includes(c.fixture)))('$fixture', (fc) => {
    it('--format all --out DIR: emit DIR/result.json --format F is DIR\'s file for F, byte for byte', async () => {
      const session = testSession(`identity-${fc.fixture}`);
      const out = join(dir.path, `${fc.fixture}-live`);
      const live = await runCli([fc.image, ...fc.args, '--format', 'all', '--out', out, '-q'], { session });
      expect(live.code, live.stderr).toBe(0);
      expect(await leftovers(session)).toEqual([]);
      expect(readdirSync(out)).toEqual(expect.arrayContaining(Object.values(FILES)));
      const resultFile = join(out, FILES.json);
      for (const [format, file] of Object.entries(FILES)) {
        // No session label is needed: emit never reaches the engine (an unreachable one proves it).
        const emitted = await runCli(['emit', resultFile, '--format', format], { session, env: { DOCKER_HOST: 'tcp://127.0.0.1:9' } });
        expect(emitted.code, emitted.stderr).toBe(0);
        expect(emitted.stderr).toBe('');
        expect(emitted.stdout, `${format} vs ${file}`).toBe(readFileSync(join(out, file), 'utf8'));
      }
      // And emit --format all --out writes the same four files.
      const again = join(dir.path, `${fc.fixture}-emit`);
      const all = await runCli(['emit', resultFile, '--format', 'all', '--out', again], { session });
      expect(all.code, all.stderr).toBe(0);
      for (const file of Object.values(FILES)) expect(readFileSync(join(again, file)), file).toEqual(readFileSync(join(out, file)));
    });

    it('the run line a live run prints on stdout is what emit prints from a live --format json result', async () => {
      const session = testSession(`identity-stdout-${fc.fixture}`);
      const run = await runCli([fc.image, ...fc.args, '--format', 'run', '-q'], { session });
      expect(run.code, run.stderr).toBe(0);
      const json = await runCli([fc.image, ...fc.args, '--format', 'json', '-q'], { session });
      expect(json.code, json.stderr).toBe(0);
      expect(await leftovers(session)).toEqual([]);
      const saved = dir.write(`${fc.fixture}-stdout.json`, json.stdout);
      const emittedRun = await runCli(['emit', saved, '--format', 'run'], { session });
      expect(emittedRun.code, emittedRun.stderr).toBe(0);
      expect(emittedRun.stdout).toBe(run.stdout);
      const emittedJson = await runCli(['emit', saved, '--format', 'json'], { session });
      expect(emittedJson.stdout).toBe(json.stdout);
    });
  });
});
