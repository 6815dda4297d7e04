import type { Mount } from '../model/mount-plan.js';
import type { HardeningSpec, ProcessSettings } from '../pipeline/launch-spec.js';
import type { MountSpec } from '../runtime/engine.js';
import { tmpfsOptions } from '../emit/tmpfs-options.js';

/**
 * The hardening of the printed `docker run` line, for the engine: read-only root, each tmpfs
 * with the very option string the line carries, each volume or seeded mount on a named volume
 * (Docker copies the image's content into a new one, as it will for the user). Volume names are
 * mapped, so verification runs on volumes of its own and never touches the user's. Pure.
 */
export function hardeningOf(mounts: readonly Mount[], volumeFor: (m: Mount) => string, process?: ProcessSettings): HardeningSpec {
  const tmpfs: Record<string, string> = {};
  const specs: MountSpec[] = [];
  for (const m of mounts) {
    if (m.kind === 'tmpfs') {
      // HostConfig.Tmpfs keys on the path, so a path with ":" needs no other syntax here.
      tmpfs[m.path] = tmpfsOptions(m);
    } else {
      specs.push({ type: 'volume', source: volumeFor(m), target: m.path, readOnly: false });
    }
  }
  return { readOnlyRoot: true, tmpfs, mounts: specs, ...(process ? { process } : {}) };
}
