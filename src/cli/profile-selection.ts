import { randomBytes } from 'node:crypto';
import type { ExerciseProfile } from '../model/exercise-profile.js';
import type { ResultProfile } from '../model/result.js';
import type { RunSpec } from '../model/run-spec.js';
import { type LoadedProfile, loadProfile, matchBuiltin } from '../profiles/library.js';

/**
 * Which profile a run follows: `--profile FILE|NAME`, else the built-in whose `match` fits the
 * image, none with `--no-profile` (yargs gives `profile: false` for it).
 */
export function selectProfile(image: string, flag: string | false | undefined): LoadedProfile | undefined {
  if (flag === false) return undefined;
  if (flag !== undefined && flag !== '') return loadProfile(flag);
  return matchBuiltin(image);
}

/** What the flags the user gave leave to the profile. */
export interface GivenFlags {
  readonly user: boolean;
  readonly command: boolean;
  readonly timeout: boolean;
}

/**
 * Lays a profile under the user's run: its variables where the user set none of that name (the
 * values join the secrets, so outputs name them and never print them), its user and command
 * where the user gave none, its readiness and steps (the user's --exec run after them), its
 * persistent paths as hints (a volume where the run wrote under them) unless the user made them
 * --ephemeral. Pure.
 */
export function applyProfile(
  loaded: LoadedProfile,
  run: RunSpec,
  secrets: Map<string, string>,
  given: GivenFlags,
  analysis: { readonly persist: readonly string[]; readonly ephemeral: readonly string[] },
  makeValue: (kind: 'password' | 'token') => string = generated,
): { run: RunSpec; persistHints: string[]; timeoutMs?: number; profile: ResultProfile } {
  const p: ExerciseProfile = loaded.profile;
  const env = [...run.env];
  const set: ResultProfile['env'][number][] = [];
  for (const e of p.run.env) {
    if (env.some((x) => x.name === e.name) || secrets.has(e.name)) continue;
    env.push({ name: e.name });
    secrets.set(e.name, e.value ?? makeValue(e.generate ?? 'token'));
    set.push({ name: e.name, kind: e.value !== undefined ? 'default' : 'generated' });
  }
  // Hints only: the pipeline keeps one on a volume when the run wrote under it; --ephemeral wins.
  const persistHints = p.writes.filter((w) => w.kind === 'persistent' && !analysis.persist.includes(w.path) && !analysis.ephemeral.includes(w.path)).map((w) => w.path);
  const next: RunSpec = {
    ...run,
    env,
    ...(!given.user && p.run.user !== undefined ? { user: p.run.user } : {}),
    ...(!given.command && p.run.command ? { command: [...p.run.command] } : {}),
    exercise: {
      ...run.exercise,
      ...(p.exercise.length > 0 ? { steps: p.exercise } : {}),
      ...(p.ready.ports || p.ready.http || p.ready.log !== undefined ? { ready: { ...(p.ready.ports ? { ports: p.ready.ports } : {}), ...(p.ready.http ? { http: p.ready.http } : {}), ...(p.ready.log !== undefined ? { log: p.ready.log } : {}) } } : {}),
    },
  };
  return {
    run: next,
    persistHints,
    ...(!given.timeout && p.ready.timeoutMs !== undefined ? { timeoutMs: p.ready.timeoutMs } : {}),
    profile: { ...loaded.ref, description: p.description, ...(p.notes !== undefined ? { notes: p.notes } : {}), writes: p.writes, env: set },
  };
}

/** A value for the profiling runs only: never printed, never saved. */
function generated(kind: 'password' | 'token'): string {
  return randomBytes(kind === 'password' ? 18 : 24).toString(kind === 'password' ? 'base64url' : 'hex');
}
