import type { Engine } from '../runtime/engine.js';
import type { CleanupScope } from './cleanup-scope.js';

/**
 * A container of the image that is created but never started: the image's files as shipped,
 * readable through the archive API, with nothing of the app run. Owned by `scope`.
 */
export async function openImageView(engine: Engine, imageId: string, labels: Readonly<Record<string, string>>, scope: CleanupScope): Promise<string> {
  const id = await engine.createContainer({
    image: imageId,
    labels,
    env: [],
    // Never started: any entrypoint will do, and images without CMD need one to be created.
    entrypoint: ['/ro-profile-never-started'],
    cmd: [],
    binds: [],
    mounts: [],
    tmpfs: {},
    readOnlyRoot: true,
    publishLoopback: [],
    network: 'none',
    memoryBytes: 64 * 1024 * 1024,
    pidsLimit: 16,
  });
  scope.add(`container ${id.slice(0, 12)}`, () => engine.removeContainer(id));
  return id;
}
