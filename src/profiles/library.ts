import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RoProfileError } from '../errors.js';
import type { ProfileRef } from '../model/exercise-profile.js';
import { globMatches, repositoryPath, specificity } from './match.js';
import { readProfileFile, type ParsedProfile } from './parse-profile.js';

/** The built-in profiles: the top-level profiles/ folder, at ../../profiles from src/ and dist/. */
export const BUILTIN_DIR = fileURLToPath(new URL('../../profiles/', import.meta.url));

export interface LoadedProfile extends ParsedProfile {
  readonly ref: ProfileRef;
}

let builtins: LoadedProfile[] | undefined;

/** Every built-in, by name; each file must be valid and named after its profile. */
export function builtinProfiles(dir = BUILTIN_DIR): LoadedProfile[] {
  if (dir === BUILTIN_DIR && builtins) return builtins;
  const out = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const parsed = readProfileFile(`${dir}${dir.endsWith('/') ? '' : '/'}${f}`);
      if (`${parsed.profile.name}.yaml` !== f) throw new RoProfileError('INTERNAL', `the built-in profile ${f} is named "${parsed.profile.name}"`, { hint: 'Name the file after the profile.' });
      return { ...parsed, ref: { name: parsed.profile.name, source: 'built-in', sha256: parsed.sha256 } };
    });
  if (dir === BUILTIN_DIR) builtins = out;
  return out;
}

/** The built-in whose `match` fits the image best (a literal pattern over a wildcard), if any. */
export function matchBuiltin(imageRef: string, all: readonly LoadedProfile[] = builtinProfiles()): LoadedProfile | undefined {
  const path = repositoryPath(imageRef);
  let best: { p: LoadedProfile; score: number } | undefined;
  for (const p of all) {
    for (const pattern of p.profile.match) {
      if (!globMatches(pattern, path)) continue;
      const score = specificity(pattern);
      if (!best || score > best.score || (score === best.score && p.profile.name < best.p.profile.name)) best = { p, score };
    }
  }
  return best?.p;
}

/** `--profile FILE|NAME`: a path (it has a slash or ends in .yaml/.yml) is read, else a built-in by name. */
export function loadProfile(spec: string, all?: readonly LoadedProfile[]): LoadedProfile {
  if (spec.includes('/') || /\.ya?ml$/.test(spec)) {
    const parsed = readProfileFile(spec);
    return { ...parsed, ref: { name: parsed.profile.name, source: spec, sha256: parsed.sha256 } };
  }
  const list = all ?? builtinProfiles();
  const found = list.find((p) => p.profile.name === spec);
  if (!found) {
    throw new RoProfileError('USAGE', `no built-in profile is named "${spec}"`, {
      hint: `Built-ins: ${list.map((p) => p.profile.name).join(', ')}. For a file, give its path (./${spec}.yaml).`,
    });
  }
  return found;
}
