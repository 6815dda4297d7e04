import { RoProfileError } from '../errors.js';
import type { Result } from '../model/result.js';
import { AFTER_RESTART } from '../verify/compare.js';
import { EXIT } from './exit-codes.js';

/** Exit 7 when the last verification failed (the artifact was printed already), naming the paths and lines. */
export function verificationExit(result: Result): number {
  if (result.verification.at(-1)?.result !== 'fail') return EXIT.ok;
  const err = verificationError(result);
  process.stderr.write(`ro-profile: ${err.message}\nhint: ${err.hint}\n`);
  return EXIT.verify;
}

export function verificationError(result: Result): RoProfileError {
  const h = result.hardening;
  const missed = h && !h.verified ? h.rejected.find((x) => x.level === h.level) : undefined;
  if (missed) {
    // The mounts verified; the --harden level asked for is what does not run.
    return new RoProfileError('VERIFY_FAILED', `verification failed: under --harden ${missed.level}, ${missed.setting} broke it: ${missed.message}${missed.evidence.length > 0 ? `\n${missed.evidence.slice(0, 6).map((l) => `  | ${l}`).join('\n')}` : ''}`, {
      hint: `The printed config is marked UNVERIFIED. ${missed.fix ? `To run under ${missed.level}: ${missed.fix}; or ` : ''}profile with a weaker --harden level (or auto: the strongest that runs).`,
    });
  }
  const last = result.verification.at(-1);
  const diffs = last?.rounds.at(-1)?.differences ?? [];
  const paths = [...new Set(diffs.flatMap((d) => d.paths ?? []))];
  const lines = [...new Set(diffs.flatMap((d) => d.lines ?? []))].slice(0, 10);
  const what = diffs.map((d) => d.message).join('; ') || 'it did not run as the writable run did';
  // A tmpfs starts empty at every start: state the first start left there is what a step after a restart misses.
  const tmpfs = diffs.some((d) => d.message.includes(AFTER_RESTART)) ? result.plan.mounts.filter((m) => m.kind === 'tmpfs').map((m) => m.path) : [];
  return new RoProfileError(
    'VERIFY_FAILED',
    `verification failed: under the config ${what}${paths.length > 0 ? `\nfailing paths: ${paths.join(', ')}` : '\nno path was named by what it printed'}${lines.length > 0 ? `\n${lines.map((l) => `  | ${l}`).join('\n')}` : ''}`,
    {
      hint:
        tmpfs.length > 0
          ? `The printed config is marked UNVERIFIED. A step after the profile's restart differs, and a tmpfs starts empty at every start: if the app keeps state in ${tmpfs.join(', ')}, keep it on a volume with --persist PATH (or drop --ephemeral PATH), and profile again.`
          : paths.length > 0
          ? 'The printed config is marked UNVERIFIED. Add those paths with --persist/--ephemeral or a longer exercise, and profile again (or raise --max-rounds).'
          : 'The printed config is marked UNVERIFIED. The lines above show what broke; profile with --tracer strace to see the failing calls, or exercise the app differently.',
    },
  );
}
