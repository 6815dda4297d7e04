import { describe, expect, it } from 'vitest';
import { RoProfileError } from '../../../../src/errors.js';
import type { BatchEntry } from '../../../../src/cli/batch/batch-entry.js';
import { runBatch, type ProfileOne } from '../../../../src/cli/batch/runner.js';

const pending = (...images: string[]): BatchEntry[] => images.map((image) => ({ image, dir: image, outcome: 'pending' }));
const tick = () => new Promise((r) => setTimeout(r, 1));

/** A fake of our profile function: each image ends when the test says so, and the calls are logged. */
function controlled() {
  const release = new Map<string, (e: BatchEntry) => void>();
  const started: string[] = [];
  let inFlight = 0;
  let peak = 0;
  const profileOne: ProfileOne = (entry) =>
    new Promise<BatchEntry>((resolve) => {
      started.push(entry.image);
      inFlight++;
      peak = Math.max(peak, inFlight);
      release.set(entry.image, (e) => {
        inFlight--;
        resolve(e);
      });
    });
  const finish = async (image: string, e?: Partial<BatchEntry>) => {
    while (!release.has(image)) await tick();
    release.get(image)!({ image, dir: image, outcome: 'success', exitCode: 0, ...e });
  };
  return { profileOne, started, finish, peak: () => peak };
}

describe('runBatch', () => {
  it('runs at most --concurrency images at once, in the order given', async () => {
    const f = controlled();
    const run = runBatch({ entries: pending('a', 'b', 'c', 'd', 'e'), concurrency: 2, signal: new AbortController().signal, profileOne: f.profileOne });
    await tick();
    expect(f.started).toEqual(['a', 'b']);
    await f.finish('b');
    await tick();
    expect(f.started).toEqual(['a', 'b', 'c']);
    for (const i of ['a', 'c', 'd', 'e']) await f.finish(i);
    const done = await run;
    expect(f.peak()).toBe(2);
    expect(done.map((e) => e.outcome)).toEqual(['success', 'success', 'success', 'success', 'success']);
  });

  it('one image failing, even by a throw, stops none of the others', async () => {
    const profileOne: ProfileOne = async (e) => {
      if (e.image === 'bad') throw new RoProfileError('IMAGE_NOT_FOUND', 'no such image');
      if (e.image === 'boom') throw new Error('a bug');
      return { ...e, outcome: 'success', exitCode: 0 };
    };
    const done = await runBatch({ entries: pending('a', 'bad', 'boom', 'b'), concurrency: 1, signal: new AbortController().signal, profileOne });
    expect(done.map((e) => [e.image, e.outcome, e.exitCode, e.error?.code])).toEqual([
      ['a', 'success', 0, undefined],
      ['bad', 'failed', 4, 'IMAGE_NOT_FOUND'],
      ['boom', 'failed', 1, 'INTERNAL'],
      ['b', 'success', 0, undefined],
    ]);
  });

  it('after an abort no image starts: those in flight end as their profile says, the rest are not-run', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const profileOne: ProfileOne = (e, signal) =>
      new Promise((_resolve, reject) => {
        started.push(e.image);
        signal.addEventListener('abort', () => reject(new RoProfileError('INTERRUPTED', 'Interrupted')));
      });
    const run = runBatch({ entries: pending('a', 'b', 'c', 'd'), concurrency: 2, signal: controller.signal, profileOne });
    await tick();
    controller.abort();
    const done = await run;
    expect(started).toEqual(['a', 'b']);
    expect(done.map((e) => [e.outcome, e.exitCode])).toEqual([
      ['interrupted', 130],
      ['interrupted', 130],
      ['not-run', undefined],
      ['not-run', undefined],
    ]);
  });

  it('keeps resumed entries as they are and runs only the pending ones', async () => {
    const f = controlled();
    const entries: BatchEntry[] = [{ image: 'old', dir: 'old', outcome: 'resumed', exitCode: 0, mounts: 2 }, ...pending('new')];
    const run = runBatch({ entries, concurrency: 2, signal: new AbortController().signal, profileOne: f.profileOne });
    await f.finish('new');
    const done = await run;
    expect(f.started).toEqual(['new']);
    expect(done[0]).toEqual(entries[0]);
  });

  it('reports every change, so the partial summary shows what is running and what finished', async () => {
    const seen: string[] = [];
    const profileOne: ProfileOne = async (e) => ({ ...e, outcome: e.image === 'x' ? 'failed' : 'success' });
    await runBatch({ entries: pending('x', 'y'), concurrency: 1, signal: new AbortController().signal, profileOne, onChange: (es) => seen.push(es.map((e) => e.outcome).join(',')) });
    expect(seen).toEqual(['running,pending', 'failed,pending', 'failed,running', 'failed,success']);
  });
});
