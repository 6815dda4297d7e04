import { describe, expect, it } from 'vitest';
import { FIXTURE, docker, dockerAvailable, leftovers, runCli, spawnCli, testSession } from '../helpers/cli.js';
import { LABEL_HOST, LABEL_MANAGED, LABEL_PID, LABEL_ROLE, LABEL_SESSION } from '../../src/runtime/labels.js';
import { hostname } from 'node:os';

/** gc removes what no live ro-profile process owns, and never what a running profile owns. */
describe.skipIf(!dockerAvailable())('ro-profile gc', () => {
  it('removes an orphan and keeps the container of a live run', async () => {
    const session = testSession('gc');
    // An orphan: labelled as ours, owned by a pid that no longer exists.
    const orphan = await docker.createContainer({
      Image: FIXTURE.busybox,
      Labels: { [LABEL_MANAGED]: 'true', [LABEL_SESSION]: `${session}-orphan`, [LABEL_PID]: '999999', [LABEL_HOST]: hostname(), [LABEL_ROLE]: 'profile' },
    });
    const live = spawnCli([FIXTURE.nginx, '--duration', '60s'], { session: `${session}-live` });
    let stderr = '';
    live.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    try {
      const deadline = Date.now() + 60_000;
      while (!stderr.includes('--duration') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await leftovers(`${session}-live`)).toHaveLength(1);

      const dry = await runCli(['gc', '--dry-run', '--json'], { session });
      expect(dry.code, dry.stderr).toBe(0);
      expect(JSON.parse(dry.stdout).result.removed).toContainEqual({ kind: 'container', id: orphan.id });
      expect(await leftovers(`${session}-orphan`)).toHaveLength(1);

      const r = await runCli(['gc'], { session });
      expect(r.code, r.stderr).toBe(0);
      expect(await leftovers(`${session}-orphan`)).toEqual([]);
      expect(await leftovers(`${session}-live`)).toHaveLength(1);
    } finally {
      live.kill('SIGINT');
      await new Promise((r) => live.on('exit', r));
      await orphan.remove({ force: true }).catch(() => undefined);
    }
    expect(await leftovers(`${session}-live`)).toEqual([]);
  });
});
