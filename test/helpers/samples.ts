import type { DirFacts, ShippedEntry } from '../../src/model/fs-facts.js';
import type { ImageFacts } from '../../src/model/image-facts.js';
import type { Mount } from '../../src/model/mount-plan.js';
import type { ExerciseSpec, RunSpec } from '../../src/model/run-spec.js';
import type { WriteEvent } from '../../src/model/write-event.js';

const MiB = 1024 * 1024;

/** Image facts of a plain image; tests override what they are about. */
export function sampleImage(overrides: Partial<ImageFacts> = {}): ImageFacts {
  return {
    ref: 'example/app:1',
    id: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
    repoDigests: [],
    user: '',
    entrypoint: [],
    cmd: ['/app'],
    env: [],
    workingDir: '/',
    exposedPorts: [],
    volumes: [],
    stopSignal: 'SIGTERM',
    os: 'linux',
    architecture: 'amd64',
    ...overrides,
  };
}

/** A run spec with no pass-through options. */
export function sampleRun(overrides: Partial<Omit<RunSpec, 'exercise'>> = {}, exercise: Partial<ExerciseSpec> = {}): RunSpec {
  return {
    image: 'example/app:1',
    env: [],
    envFiles: [],
    command: [],
    volumes: [],
    mounts: [],
    publish: [],
    exercise: { execs: [], durationMs: 0, timeoutMs: 60_000, settleMs: 2_000, probePorts: [], ...exercise },
    ...overrides,
  };
}

/** A root-owned 64 MiB tmpfs on /run. */
export function sampleMount(overrides: Partial<Mount> = {}): Mount {
  return {
    path: '/run',
    kind: 'tmpfs',
    uid: 0,
    gid: 0,
    mode: 0o755,
    exec: false,
    sizeBytes: 64 * MiB,
    covers: [],
    coversCount: 0,
    observedBytes: 0,
    reasons: [],
    hides: [],
    ...overrides,
  };
}

/** A write seen in the diff, named by its real path. */
export function sampleEvent(op: WriteEvent['op'], path: string, more: Partial<Omit<WriteEvent, 'op' | 'path' | 'realPath'>> = {}): WriteEvent {
  return { path, realPath: path, op, source: 'diff', ...more };
}

/** A directory the image ships, root-owned 0755, shipping nothing unless told. */
export function sampleDir(path: string, more: Partial<Omit<DirFacts, 'path'>> = {}): DirFacts {
  return { path, exists: true, type: 'dir', uid: 0, gid: 0, mode: 0o755, shipped: [], ...more };
}

/** An entry a directory ships: an empty root-owned file (0644) or an empty directory (0755). */
export function sampleShipped(name: string, type: ShippedEntry['type'] = 'file', more: Partial<Omit<ShippedEntry, 'name' | 'type'>> = {}): ShippedEntry {
  return { name, type, size: 0, uid: 0, gid: 0, mode: type === 'dir' ? 0o755 : 0o644, ...(type === 'dir' ? { empty: true } : {}), ...more };
}
