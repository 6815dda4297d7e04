import { describe, expect, it } from 'vitest';
import type { ImageFacts } from '../../../src/model/image-facts.js';
import type { RunSpec } from '../../../src/model/run-spec.js';
import type { Reporter } from '../../../src/pipeline/reporter.js';
import { probePorts, resolveImage, withProbePorts } from '../../../src/pipeline/resolve.js';
import { containerPortOfPublish } from '../../../src/syntax/publish.js';
import { EngineFake } from '../../helpers/engine-fake.js';

const IMAGE: ImageFacts = {
  ref: 'ro-profile-fixture/nginx:latest',
  id: 'sha256:5f0c3a1e9b7d44c2a8e16f3b9d20c7a4e1f5b6c8d9a0e2f3b4c5d6e7f8091a2b',
  repoDigests: [],
  user: '',
  entrypoint: [],
  cmd: ['nginx', '-g', 'daemon off;'],
  env: [],
  workingDir: '',
  exposedPorts: [
    { port: 53, protocol: 'udp' },
    { port: 80, protocol: 'tcp' },
    { port: 443, protocol: 'tcp' },
  ],
  volumes: [],
  stopSignal: 'SIGQUIT',
  os: 'linux',
  architecture: 'amd64',
};

function recordingReporter(): Reporter & { lines: string[] } {
  const lines: string[] = [];
  return { lines, stage: (n, d) => lines.push(`stage ${n}: ${d}`), info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`) };
}

describe('containerPortOfPublish', () => {
  it.each([
    ['80', 80],
    ['8080:80', 80],
    ['127.0.0.1:8080:80', 80],
    ['127.0.0.1::80', 80],
    ['8080:80/tcp', 80],
    ['[::1]:8080:80', 80],
    ['5353:53/udp', undefined],
    ['8000-8010:8000-8010', undefined],
    ['', undefined],
  ])('takes the container port of -p %j as %j', (spec, port) => {
    expect(containerPortOfPublish(spec)).toBe(port);
  });
});

describe('probePorts', () => {
  it('probes exposed TCP ports and the container side of --publish, once each, in order', () => {
    expect(probePorts(IMAGE, ['8080:80', '127.0.0.1:9000:9000', '5353:53/udp', '3000'])).toEqual([80, 443, 3000, 9000]);
  });

  it('probes nothing for an image with no TCP port and no --publish', () => {
    expect(probePorts({ ...IMAGE, exposedPorts: [{ port: 53, protocol: 'udp' }] }, [])).toEqual([]);
  });

  it('sets the probe ports on the run spec and changes nothing else', () => {
    const run: RunSpec = {
      image: IMAGE.ref,
      env: [{ name: 'TZ' }],
      envFiles: [],
      command: [],
      volumes: [],
      mounts: [],
      publish: ['8080:80'],
      exercise: { execs: ['true'], durationMs: 1, timeoutMs: 2, settleMs: 3, probePorts: [] },
    };
    expect(withProbePorts(run, IMAGE)).toEqual({ ...run, exercise: { ...run.exercise, probePorts: [80, 443] } });
  });
});

describe('resolveImage', () => {
  it('uses the local image without pulling', async () => {
    const engine = new EngineFake();
    engine.images = [IMAGE];
    const reporter = recordingReporter();
    expect(await resolveImage(engine, IMAGE.ref, reporter, new AbortController().signal)).toBe(IMAGE);
    expect(engine.calls.map((c) => c.method)).toEqual(['inspectImage']);
    expect(reporter.lines).toEqual([]);
  });

  it('pulls a missing image, tells the progress, and inspects it again', async () => {
    const engine = new EngineFake();
    engine.images = [undefined, IMAGE];
    engine.pullEvents = [
      { status: 'Downloading', id: 'a1', current: 512 * 1024, total: 2 * 1024 * 1024 },
      { status: 'Downloading', id: 'a1', current: 2 * 1024 * 1024, total: 2 * 1024 * 1024 },
    ];
    const reporter = recordingReporter();
    const signal = new AbortController().signal;
    expect(await resolveImage(engine, 'nginx:1.27', reporter, signal)).toBe(IMAGE);
    expect(engine.calls.map((c) => [c.method, c.args[0]])).toEqual([
      ['inspectImage', 'nginx:1.27'],
      ['pullImage', 'nginx:1.27'],
      ['inspectImage', 'nginx:1.27'],
    ]);
    expect(engine.callsTo('pullImage')[0]?.[1]).toBe(signal);
    // Progress is shown at most once a second: the second event comes too soon.
    expect(reporter.lines).toEqual(['info image "nginx:1.27" is not present locally, pulling it', 'info pulling nginx:1.27: 0.5 MiB of 2.0 MiB']);
  });

  it('fails with IMAGE_NOT_FOUND when the pulled image cannot be inspected', async () => {
    const engine = new EngineFake();
    engine.images = [undefined];
    await expect(resolveImage(engine, 'nginx:1.27', recordingReporter(), new AbortController().signal)).rejects.toMatchObject({
      code: 'IMAGE_NOT_FOUND',
      message: 'Image "nginx:1.27" was pulled but cannot be inspected',
    });
  });

  it('lets a pull failure through unchanged', async () => {
    const engine = new EngineFake();
    engine.images = [undefined];
    engine.pullError = new Error('pull access denied for nope/nope');
    await expect(resolveImage(engine, 'nope/nope', recordingReporter(), new AbortController().signal)).rejects.toThrow('pull access denied for nope/nope');
  });
});
