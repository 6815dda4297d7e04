import { describe, expect, it } from 'vitest';
import { harvest } from '../../src/harvest/harvest.js';
import { takeSnapshot } from '../../src/harvest/snapshot.js';
import { DockerEngine } from '../../src/runtime/docker-engine.js';
import { LABEL_MANAGED, LABEL_SESSION } from '../../src/runtime/labels.js';
import { FIXTURE, dockerAvailable, leftovers, testSession } from '../helpers/cli.js';

const FILES = 6000;

/** A directory past the old 5,000-entry cap, written by a real container and read through the archive API. */
describe.skipIf(!dockerAvailable())('listing a big directory of a real container', () => {
  it(`reads all ${FILES} files a container wrote into one directory, each with its size`, async () => {
    const session = testSession('harvest-listing');
    const engine = new DockerEngine();
    const id = await engine.createContainer({
      image: FIXTURE.busybox,
      labels: { [LABEL_SESSION]: session, [LABEL_MANAGED]: 'true' },
      env: [],
      entrypoint: ['sh', '-c'],
      // File i holds "i\n", so its size says which file it is.
      cmd: [`mkdir /tmp/spool && cd /tmp/spool && i=0 && while [ $i -lt ${FILES} ]; do echo $i > f$i; i=$((i+1)); done`],
      binds: [],
      mounts: [],
      tmpfs: {},
      readOnlyRoot: false,
      publishLoopback: [],
      memoryBytes: 256 * 2 ** 20,
      pidsLimit: 64,
    });
    try {
      await engine.startContainer(id);
      expect(await engine.waitExit(id)).toBe(0);
      const changes = await engine.diff(id);
      const snap = await takeSnapshot(engine, id, changes, () => false);
      const listing = snap.listings.get('/tmp');
      expect(listing).toBeDefined();
      const files = [...(listing?.entries.keys() ?? [])].filter((p) => p.startsWith('/tmp/spool/'));
      expect(files).toHaveLength(FILES);
      expect(listing?.entries.get(`/tmp/spool/f${FILES - 1}`)).toMatchObject({ type: 'file', size: String(FILES - 1).length + 1 });
      const { events } = harvest({ running: { changes: [], listings: new Map() }, stopped: snap, ignore: () => false });
      const written = events.filter((e) => e.path.startsWith('/tmp/spool/f'));
      expect(written).toHaveLength(FILES);
      expect(written.every((e) => e.op === 'add' && e.type === 'file' && e.size === e.path.length - '/tmp/spool/f'.length + 1)).toBe(true);
    } finally {
      await engine.removeContainer(id);
    }
    expect(await leftovers(session)).toEqual([]);
  }, 60_000);
});
