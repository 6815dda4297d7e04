import { readFileSync } from 'node:fs';
import { RoProfileError } from '../errors.js';
import type { EnvRef, ExerciseSpec, RunSpec } from '../model/run-spec.js';
import { parseMountFlag } from '../syntax/mount-flag.js';

export type { PassThroughFlags } from '../model/run-spec.js';
import type { PassThroughFlags } from '../model/run-spec.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * The user's own run options, split into what may be saved and printed (RunSpec: variable
 * names only) and the values the profiling run needs (secrets, never written anywhere).
 */
export function buildRunSpec(
  flags: PassThroughFlags,
  exercise: Omit<ExerciseSpec, 'probePorts'>,
  processEnv: NodeJS.ProcessEnv,
): { run: RunSpec; secrets: Map<string, string> } {
  const secrets = new Map<string, string>();
  for (const file of flags.envFile) {
    for (const [name, value] of readEnvFile(file, processEnv)) secrets.set(name, value);
  }
  const env: EnvRef[] = [];
  const seen = new Set<string>();
  for (const e of flags.env) {
    const eq = e.indexOf('=');
    const name = eq < 0 ? e : e.slice(0, eq);
    if (!ENV_NAME.test(name)) {
      throw new RoProfileError('USAGE', `"-e ${eq < 0 ? e : `${name}=…`}" has an invalid variable name`, {
        hint: 'Use -e NAME=VALUE, or -e NAME to pass the value from your environment.',
      });
    }
    const value = eq < 0 ? processEnv[name] : e.slice(eq + 1);
    if (value !== undefined) secrets.set(name, value);
    if (!seen.has(name)) env.push({ name });
    seen.add(name);
  }
  for (const m of flags.mount) parseMountFlag(m);
  for (const v of flags.volume) {
    if (v.split(':').some((part, i) => i < 2 && part === '')) {
      throw new RoProfileError('USAGE', `"-v ${v}" is not a volume specification`, { hint: 'Write it as docker does: -v SOURCE:/container/path[:ro].' });
    }
  }
  if (flags.network === 'none' && flags.publish.length > 0) {
    throw new RoProfileError('USAGE', '"--network none" and "-p/--publish" cannot be used together');
  }
  const run: RunSpec = {
    image: flags.image,
    env,
    envFiles: [...flags.envFile],
    ...(flags.user !== undefined ? { user: flags.user } : {}),
    ...(flags.entrypoint !== undefined ? { entrypoint: flags.entrypoint } : {}),
    command: [...flags.command],
    volumes: [...flags.volume],
    mounts: [...flags.mount],
    publish: [...flags.publish],
    ...(flags.network !== undefined ? { network: flags.network } : {}),
    exercise: { ...exercise, probePorts: [] },
  };
  return { run, secrets };
}

/** Docker's env-file format: NAME=VALUE lines taken literally, NAME alone from the environment, # comments. */
export function readEnvFile(file: string, processEnv: NodeJS.ProcessEnv): [string, string][] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RoProfileError('USAGE', `"--env-file ${file}" cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      hint: 'Check the path; it is read relative to the current directory.',
    });
  }
  const out: [string, string][] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = eq < 0 ? line.trim() : line.slice(0, eq);
    if (!ENV_NAME.test(name)) {
      throw new RoProfileError('USAGE', `${file}:${i + 1}: "${name}" is not a valid variable name`, { hint: 'Each line must be NAME=VALUE or NAME.' });
    }
    const value = eq < 0 ? processEnv[name] : line.slice(eq + 1);
    if (value !== undefined) out.push([name, value]);
  });
  return out;
}
