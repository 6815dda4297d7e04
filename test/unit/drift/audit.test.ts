import { describe, expect, it } from 'vitest';
import { auditAll, auditGiven, findContainers, MAX_MODE_CHECKS } from '../../../src/drift/audit.js';
import type { LoadedResult } from '../../../src/drift/match-results.js';
import { isRoProfileError } from '../../../src/errors.js';
import type { Result } from '../../../src/model/result.js';
import type { ContainerSummary } from '../../../src/runtime/engine.js';
import { EngineFake } from '../../helpers/engine-fake.js';
import { sampleResult } from '../../helpers/sample-result.js';

const IMAGE_ID = sampleResult().image.id;

function summary(name: string, o: Partial<ContainerSummary> = {}): ContainerSummary {
  return { id: `${name}-${'0'.repeat(60)}`, name, image: 'example/app:1', imageId: IMAGE_ID, running: true, mountPoints: [], labels: {}, ...o };
}

const loaded = (result: Result = sampleResult(), file = 'r.json'): LoadedResult => ({ file, result });

describe('auditGiven', () => {
  it('classifies each container against the result and asks the mode of the drift files only', async () => {
    const engine = new EngineFake();
    const c = summary('app');
    engine.containers = [c];
    engine.changes = [
      { kind: 'modified', path: '/srv' },
      { kind: 'added', path: '/srv/app/data/new.db' },
      { kind: 'added', path: '/srv/tool' },
      { kind: 'added', path: '/srv/readme' },
      { kind: 'added', path: '/usr/bin/x' },
    ];
    engine.stats.set('/srv/tool', { type: 'file', mode: 0o755, size: 10 });
    engine.stats.set('/srv/readme', { type: 'file', mode: 0o644, size: 10 });
    const r = await auditGiven(engine, [c], loaded());
    const drift = r.containers[0]!;
    expect(drift.result).toEqual({ file: 'r.json', imageRef: 'example/app:1', imageId: IMAGE_ID, matchedBy: 'given' });
    expect(drift.warnings).toEqual([]);
    expect(drift.classification.changes.map((x) => [x.path, x.rule ?? x.class])).toEqual([
      ['/srv/app/data/new.db', 'mounted'],
      ['/srv/readme', 'drift/unexpected-write'],
      ['/srv/tool', 'drift/modified-binary'],
      ['/usr/bin/x', 'drift/modified-binary'],
    ]);
    expect(engine.callsTo('statPath').map((a) => a[1]).sort()).toEqual(['/srv/readme', '/srv/tool']);
  });

  it('warns when the container runs another image than the one profiled', async () => {
    const engine = new EngineFake();
    const c = summary('app', { imageId: 'sha256:other' });
    const r = await auditGiven(engine, [c], loaded());
    expect(r.containers[0]!.warnings).toEqual([{ kind: 'image-mismatch', message: expect.stringContaining(`runs image sha256:other, the result profiled ${IMAGE_ID}`) }]);
  });

  it('the container mounts count as mounted, with or without a result', async () => {
    const engine = new EngineFake();
    engine.images = [{ ...sampleResult().image, user: 'www', volumes: ['/data'] }];
    engine.changes = [{ kind: 'added', path: '/data' }, { kind: 'added', path: '/etc/x' }];
    const r = await auditGiven(engine, [summary('loose', { mountPoints: ['/data'], image: 'example/app:latest' })], undefined);
    const c = r.containers[0]!;
    expect(c.image).toEqual({ ref: 'example/app:latest', id: IMAGE_ID, user: 'www', volumes: ['/data'] });
    expect(engine.callsTo('inspectImage')).toEqual([[IMAGE_ID]]);
    expect(c.classification.counts).toEqual({ mounted: 1, profiled: 0, drift: 1, unclassified: 0 });
    expect(c.groups?.map((g) => g.dir)).toEqual(['/', '/etc']);
  });

  it('asks the mode of at most MAX_MODE_CHECKS files and says how many it did not', async () => {
    const engine = new EngineFake();
    engine.changes = Array.from({ length: MAX_MODE_CHECKS + 3 }, (_, i) => ({ kind: 'added' as const, path: `/srv/f${i}` }));
    const r = await auditGiven(engine, [summary('big')], loaded());
    expect(engine.callsTo('statPath')).toHaveLength(MAX_MODE_CHECKS);
    expect(r.containers[0]!.warnings).toEqual([{ kind: 'unchecked', message: expect.stringMatching(/^3 drift files were not checked/) }]);
  });
});

describe('findContainers', () => {
  it('names every unknown container in one usage error', async () => {
    const engine = new EngineFake();
    engine.containers = [summary('known')];
    const e: unknown = await findContainers(engine, ['known', 'gone', 'lost']).catch((x: unknown) => x);
    expect(isRoProfileError(e) && e.code).toBe('USAGE');
    expect((e as Error).message).toBe('No such container: "gone", "lost"');
  });

  it('refuses what cannot be a container name before asking the engine', async () => {
    const engine = new EngineFake();
    await expect(findContainers(engine, ['../x'])).rejects.toMatchObject({ code: 'USAGE', message: '"../x" is not a container name or id' });
    expect(engine.callsTo('findContainer')).toEqual([]);
  });

  it('one entry per container, however many names it was given by', async () => {
    const engine = new EngineFake();
    const c = summary('known');
    engine.containers = [c];
    expect(await findContainers(engine, ['known', c.id.slice(0, 12)])).toEqual([c]);
  });
});

describe('auditAll', () => {
  it('checks the running containers with a result for their image, not the tool’s own, by name', async () => {
    const engine = new EngineFake();
    const other = sampleResult();
    const results = [loaded(), loaded({ ...other, image: { ...other.image, ref: 'other:1', id: 'sha256:other' }, run: { ...other.run, image: 'other:1' } }, 'other.json')];
    engine.containers = [
      summary('zeta'),
      summary('alpha', { imageId: 'sha256:moved' }),
      summary('stopped', { running: false }),
      summary('unrelated', { image: 'nginx', imageId: 'sha256:nginx' }),
      summary('ours', { labels: { 'io.ro-profile.managed': 'true' } }),
    ];
    const r = await auditAll(engine, results, ['skipped x.json: not JSON']);
    expect(r.containers.map((c) => [c.container.name, c.result?.matchedBy])).toEqual([
      ['alpha', 'reference'],
      ['zeta', 'id'],
    ]);
    expect(r.containers[0]!.warnings.map((w) => w.kind)).toEqual(['image-mismatch']);
    expect(r.notes).toEqual(['skipped x.json: not JSON']);
  });

  it('says so when nothing matches', async () => {
    const engine = new EngineFake();
    engine.containers = [summary('unrelated', { image: 'nginx', imageId: 'sha256:nginx' })];
    const r = await auditAll(engine, [loaded()], []);
    expect(r.containers).toEqual([]);
    expect(r.notes).toEqual(['no running container runs an image with a result (1 running; results for example/app:1)']);
  });

  it('skips a container removed between the list and its diff', async () => {
    const engine = new EngineFake();
    const c = summary('brief');
    engine.containers = [c];
    engine.diff = async () => {
      engine.containers = [];
      throw new Error('no such container');
    };
    const r = await auditAll(engine, [loaded()], []);
    expect(r.notes).toContain('brief: removed before it could be checked');
  });
});
