import { describe, expect, it } from 'vitest';
import { RoProfileError } from '../../../src/errors.js';
import type { ImageFacts } from '../../../src/model/image-facts.js';
import type { CleanupScope } from '../../../src/pipeline/cleanup-scope.js';
import { silentReporter } from '../../../src/pipeline/reporter.js';
import { startRun } from '../../../src/pipeline/run-start.js';
import { EngineFake, LOCAL_ENGINE } from '../../helpers/engine-fake.js';

const IMAGE = { ref: 'ro-profile-fixture/nginx:latest', id: 'sha256:5f0c3a1e9b7d' } as ImageFacts;

describe('startRun', () => {
  it('shows the scope first, asks the engine, runs afterEngine, then resolves the image', async () => {
    const engine = new EngineFake();
    engine.images = [IMAGE];
    const order: string[] = [];
    let shown: CleanupScope | undefined;
    const started = await startRun({ engine, reporter: silentReporter, signal: new AbortController().signal, onScope: (s) => ((shown = s), order.push('scope')) }, IMAGE.ref, async (info) => {
      order.push(`after ${engine.calls.map((c) => c.method).join(',')} ${info.version}`);
    });
    expect(started.scope).toBe(shown);
    expect(started.engineInfo).toBe(LOCAL_ENGINE);
    expect(started.image).toBe(IMAGE);
    expect(order).toEqual(['scope', `after info ${LOCAL_ENGINE.version}`]);
    expect(engine.calls.map((c) => c.method)).toEqual(['info', 'inspectImage']);
  });

  it('disposes the scope and rethrows the failure when the engine cannot be reached', async () => {
    const engine = new EngineFake();
    const unreachable = new RoProfileError('DOCKER_UNAVAILABLE', 'Cannot reach the Docker engine');
    engine.info = () => Promise.reject(unreachable);
    let shown: CleanupScope | undefined;
    await expect(startRun({ engine, reporter: silentReporter, signal: new AbortController().signal, onScope: (s) => (shown = s) }, IMAGE.ref)).rejects.toBe(unreachable);
    let ran = false;
    shown!.add('late', async () => void (ran = true));
    await shown![Symbol.asyncDispose]();
    // Disposed already: a disposer added afterwards never runs.
    expect(ran).toBe(false);
    expect(engine.calls.map((c) => c.method)).toEqual([]);
  });
});
