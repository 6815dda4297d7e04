import type { RunSpec } from '../model/run-spec.js';
import type { Engine } from '../runtime/engine.js';
import type { CleanupScope } from './cleanup-scope.js';
import { parseMountFlag } from '../syntax/mount-flag.js';

/**
 * A named volume in the user's -v/--mount that does not exist yet would be created by the
 * engine without our labels and outlive the run; create it ourselves, labelled, and remove it.
 */
export async function createUserVolumes(
  engine: Engine,
  run: RunSpec,
  labels: Readonly<Record<string, string>>,
  scope: CleanupScope,
): Promise<void> {
  const names = new Set<string>();
  for (const v of run.volumes) {
    const parts = v.split(':');
    const src = parts[0];
    if (parts.length >= 2 && src && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(src)) names.add(src);
  }
  for (const m of run.mounts) {
    const spec = parseMountFlag(m);
    if (spec.type === 'volume' && spec.source) names.add(spec.source);
  }
  for (const name of [...names].sort()) {
    if (await engine.volumeExists(name)) continue;
    await engine.createVolume(name, labels);
    scope.add(`volume ${name}`, () => engine.removeVolume(name));
  }
}

/** Mount points show up in the diff as created directories; they are not the app's writes. */
export function mountPointFilter(targets: readonly string[]): (path: string) => boolean {
  // No string built per call: this runs for every entry of the diff.
  const isPrefix = (dir: string, p: string) => p.length > dir.length && p.charCodeAt(dir.length) === 47 && p.startsWith(dir);
  return (path) => targets.some((t) => path === t || isPrefix(path, t) || isPrefix(t, path));
}
