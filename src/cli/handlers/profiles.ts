import { BUILTIN_DIR, builtinProfiles, loadProfile } from '../../profiles/library.js';
import { RoProfileError } from '../../errors.js';
import { reportError } from '../output.js';
import type { ProfilesArgs } from '../commands/profiles.js';

/** `ro-profile profiles [show NAME]`: lists or prints exercise profiles; sets the exit code. */
export function runProfiles(argv: ProfilesArgs): void {
  try {
    if (argv.action === 'show') {
      if (argv.name === undefined) {
        throw new RoProfileError('USAGE', '"profiles show" needs the name of a profile', { hint: `One of: ${builtinProfiles().map((p) => p.profile.name).join(', ')}; or a file.` });
      }
      const p = loadProfile(argv.name);
      if (argv.json) process.stdout.write(`${JSON.stringify({ outcome: 'success', result: { ...p.ref, profile: p.profile } })}\n`);
      else process.stdout.write(p.text.endsWith('\n') ? p.text : `${p.text}\n`);
      process.exitCode = 0;
      return;
    }
    const all = builtinProfiles();
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ outcome: 'success', result: all.map((p) => ({ name: p.profile.name, match: p.profile.match, description: p.profile.description, sha256: p.sha256 })) })}\n`);
    } else {
      const width = Math.max(...all.map((p) => p.profile.name.length), 4);
      const lines = all.map((p) => `${p.profile.name.padEnd(width)}  ${p.profile.description} (${p.profile.match.join(', ')})`);
      process.stdout.write(`${lines.join('\n')}\n`);
      process.stderr.write(`ro-profile: ${all.length} built-in profiles in ${BUILTIN_DIR}; picked by image name, or --profile NAME|FILE\n`);
    }
    process.exitCode = 0;
  } catch (e) {
    process.exitCode = reportError(e, { json: argv.json, debug: argv.debug });
  }
}
