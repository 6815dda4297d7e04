import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { fileURLToPath } from 'node:url';
import { RoProfileError } from '../errors.js';
import type { ProfileRef } from '../model/exercise-profile.js';
import { globMatches, repositoryPath, specificity } from './match.js';
import { readProfileFile, type ParseOptions, type ParsedProfile } from './parse-profile.js';

/** The built-in profiles: the top-level profiles/ folder, at ../../profiles from src/ and dist/. */
export const BUILTIN_DIR = fileURLToPath(new URL('../../profiles/', import.meta.url));

export interface LoadedProfile extends ParsedProfile {
  readonly ref: ProfileRef;
}

let builtins: LoadedProfile[] | undefined;

/** Every built-in, by name; each file must be valid and named after its profile. */
export function builtinProfiles(dir = BUILTIN_DIR): LoadedProfile[] {
  if (dir === BUILTIN_DIR && builtins) return builtins;
  const out = builtinFiles(dir).map((f) => loadBuiltin(dir, f));
  if (dir === BUILTIN_DIR) builtins = out;
  return out;
}

function builtinFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

function loadBuiltin(dir: string, f: string, o: ParseOptions = {}): LoadedProfile {
  const parsed = readProfileFile(`${dir}${dir.endsWith('/') ? '' : '/'}${f}`, o);
  if (`${parsed.profile.name}.yaml` !== f) throw new RoProfileError('INTERNAL', `the built-in profile ${f} is named "${parsed.profile.name}"`, { hint: 'Name the file after the profile.' });
  return { ...parsed, ref: { name: parsed.profile.name, source: 'built-in', sha256: parsed.sha256 } };
}

/** Each built-in's file, name and patterns, as its YAML says, unvalidated; undefined when one does not read as a profile. */
function builtinPatterns(dir: string): { file: string; name: string; match: string[] }[] | undefined {
  const out: { file: string; name: string; match: string[] }[] = [];
  for (const file of builtinFiles(dir)) {
    let data: unknown;
    try {
      const text = readFileSync(`${dir}${dir.endsWith('/') ? '' : '/'}${file}`, 'utf8');
      // The two top-level lines that matter, when `match` is a one-line list (as every built-in
      // has it): parsing them alone is far cheaper than the whole file.
      const lines = text.match(/^(?:name|match):.*$/gm) ?? [];
      const oneLine = lines.length === 2 && lines.some((l) => /^match:\s*\[/.test(l));
      data = parseYaml(oneLine ? lines.join('\n') : text);
    } catch {
      return undefined;
    }
    const { name, match } = (data ?? {}) as { name?: unknown; match?: unknown };
    if (typeof name !== 'string' || !Array.isArray(match) || !match.every((m) => typeof m === 'string')) return undefined;
    out.push({ file, name, match: match as string[] });
  }
  return out;
}

/**
 * The built-in whose `match` fits the image best (a literal pattern over a wildcard), if any.
 * Without a list, only each built-in's name and patterns are read to choose, and only the one
 * chosen is parsed whole, not validated: the schema's compilation and the parse of every file
 * cost each run ~250 ms, for files that ship with the tool and that the unit tests validate
 * (builtinProfiles, which `ro-profile profiles` uses, still validates them all).
 */
export function matchBuiltin(imageRef: string, all?: readonly LoadedProfile[]): LoadedProfile | undefined {
  if (all) return bestMatch(imageRef, all.map((p) => ({ name: p.profile.name, match: p.profile.match, p })))?.p;
  const patterns = builtinPatterns(BUILTIN_DIR);
  // A built-in that does not even read as a profile: load them all, for the error that names it.
  if (!patterns) return matchBuiltin(imageRef, builtinProfiles());
  const chosen = bestMatch(imageRef, patterns);
  return chosen ? loadBuiltin(BUILTIN_DIR, chosen.file, { trusted: true }) : undefined;
}

function bestMatch<T extends { readonly name: string; readonly match: readonly string[] }>(imageRef: string, all: readonly T[]): T | undefined {
  const path = repositoryPath(imageRef);
  let best: { p: T; score: number } | undefined;
  for (const p of all) {
    for (const pattern of p.match) {
      if (!globMatches(pattern, path)) continue;
      const score = specificity(pattern);
      if (!best || score > best.score || (score === best.score && p.name < best.p.name)) best = { p, score };
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
