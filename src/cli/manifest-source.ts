import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { RoProfileError } from '../errors.js';
import type { Result } from '../model/result.js';
import { emitWorkloadPatch, WORKLOAD_FILES } from '../emit/workload-patch.js';
import { parseManifest, selectContainer, type PickedContainer } from '../source/manifest.js';
import { manifestRun, type ManifestRun } from '../source/manifest-run.js';
import { readEnvFile } from './passthrough.js';

/** --manifest FILE [--container NAME]: the container picked, mapped to the profiling run. */
export function loadManifest(file: string, container: string | undefined, given: { env: readonly string[]; envFile: readonly string[] }): { picked: PickedContainer; run: ManifestRun } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RoProfileError('USAGE', `"--manifest ${file}" cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { hint: 'Check the path; it is read relative to the current directory.' });
  }
  const picked = selectContainer(parseManifest(text, file), file, container);
  // Variables the user gives with -e or --env-file: no "unset" warning for them (their values win).
  const names = new Set([...given.env.map((e) => e.split('=')[0]!), ...given.envFile.flatMap((f) => readEnvFile(f, {}).map(([n]) => n))]);
  return { picked, run: manifestRun(picked, names) };
}

/**
 * With --manifest, `--format k8s` prints the strategic-merge patch of the user's workload, and
 * `--out DIR` also writes it with the kustomization (and its JSON6902 patch) and Helm values.
 */
export function writeWorkloadOutputs(result: Result, picked: PickedContainer, o: { manifest: string; format: string; out?: string | undefined; json: boolean; memory: boolean }): boolean {
  const dir = o.out !== undefined ? resolve(o.out) : process.cwd();
  const resource = relative(dir, resolve(o.manifest)).split(sep).join('/') || basename(o.manifest);
  const patch = emitWorkloadPatch(result, picked, { memory: o.memory, resource });
  if (o.out !== undefined && (o.format === 'all' || o.format === 'k8s')) {
    writeFileSync(join(dir, WORKLOAD_FILES.strategic), patch.strategic);
    writeFileSync(join(dir, WORKLOAD_FILES.kustomization), patch.kustomization);
    writeFileSync(join(dir, WORKLOAD_FILES.json6902), patch.json6902);
    writeFileSync(join(dir, WORKLOAD_FILES.values), patch.values);
  }
  for (const n of patch.notes) process.stderr.write(`ro-profile: warning: ${n}\n`);
  if (o.format === 'k8s' && o.out === undefined && !o.json) {
    process.stdout.write(patch.strategic);
    return true;
  }
  return false;
}
