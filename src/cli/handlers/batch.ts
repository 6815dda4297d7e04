import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RoProfileError } from '../../errors.js';
import type { CleanupScope } from '../../pipeline/cleanup-scope.js';
import { dedupeImages, parseImageList, type ListedImage } from '../batch/image-list.js';
import type { BatchEntry } from '../batch/batch-entry.js';
import { runFingerprint } from '../batch/fingerprint.js';
import { entryProfiler } from '../batch/profile-entry.js';
import { runBatch } from '../batch/runner.js';
import { safeName } from '../batch/safe-name.js';
import { resumedEntry } from '../batch/status-file.js';
import { countLine, renderTable, summaryOf, writeSummary } from '../batch/summary.js';
import { EXIT } from '../exit-codes.js';
import { reportError } from '../output.js';
import { checkTracerFlags, exerciseOf, pipelineOptionsOf } from '../profile-flags.js';
import { selectProfile } from '../profile-selection.js';
import { redactStderr } from '../redacted-stderr.js';
import { emitOptionsOf } from '../shared-flags.js';
import { toolVersion } from '../version.js';
import type { BatchArgs } from '../commands/batch.js';
import { openRunSession } from '../session.js';

/** `ro-profile batch`: profiles each image into DIR/<image>/ and returns the exit code (9 when some failed). `shapingFlags`: the flags that make the options' fingerprint. */
export async function runBatchCommand(argv: BatchArgs, shapingFlags: readonly string[]): Promise<number> {
  const out = { json: argv.json, debug: argv.debug };
  const scopes = new Set<CleanupScope>();
  using session = openRunSession({ interrupted: 'Interrupted', owned: () => [...scopes] });
  const { identity, signal } = session;
  // Values a built-in profile generates (passwords) never reach stderr, whichever image prints.
  const redactors: ((t: string) => string)[] = [];
  const restoreStderr = redactStderr((t) => redactors.reduce((acc, r) => r(acc), t));
  try {
    const concurrency = argv.concurrency;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
      throw new RoProfileError('USAGE', `"--concurrency ${concurrency}" is not a whole number from 1 to 16`, { hint: 'Each image runs a container (two while verifying): 2 to 4 suit most machines.' });
    }
    checkTracerFlags(argv);
    const profile = argv.profile as string | false | undefined;
    // A malformed --profile file is a usage error before anything runs, not a failure of every image.
    if (typeof profile === 'string' && profile !== '') selectProfile('', profile);
    const listed = imagesOf(argv.images ?? [], argv.file);
    const { images, warnings } = dedupeImages(listed);
    for (const w of warnings) process.stderr.write(`ro-profile: warning: ${w}\n`);
    const outDir = resolve(argv.out);
    mkdirSync(outDir, { recursive: true });
    const version = toolVersion();
    const flags = Object.fromEntries(shapingFlags.map((k) => [k, (argv as Record<string, unknown>)[k]]));
    const fingerprints = new Map(images.map((l) => [l.image, runFingerprint({ image: l.image, toolVersion: version, profileSha256: profileSha(l.image, profile), flags })]));
    const entries = images.map((l): BatchEntry => {
      const dir = safeName(l.image);
      return (argv.resume ? resumedEntry(join(outDir, dir), l.image, fingerprints.get(l.image)!) : undefined) ?? { image: l.image, dir, outcome: 'pending' };
    });
    // Two references in one directory would overwrite each other: only a 48-bit hash collision can do it, and it is refused.
    const dirs = new Set(entries.map((e) => e.dir));
    if (dirs.size !== entries.length) throw new RoProfileError('INTERNAL', 'two references of the batch map to the same directory', { hint: 'Please report this with the list of images.' });
    const startedAt = new Date().toISOString();
    const summary = (es: readonly BatchEntry[], finished: boolean) => summaryOf(es, { toolVersion: version, startedAt, updatedAt: new Date().toISOString(), finished });
    writeSummary(outDir, summary(entries, false));
    const done = await runBatch({
      entries,
      concurrency,
      signal,
      onChange: (es) => writeSummary(outDir, summary(es, false)),
      profileOne: entryProfiler({
        outDir,
        identity,
        toolVersion: version,
        exercise: exerciseOf({ ...argv, exec: [] }),
        timeoutGiven: argv.timeout !== undefined,
        profile,
        pipeline: pipelineOptionsOf(argv),
        format: argv.format,
        emit: emitOptionsOf({ ...argv, service: undefined }),
        quiet: argv.quiet,
        fingerprints,
        scopes,
        addSecrets: (r) => redactors.push(r),
      }),
    });
    const final = summary(done, !signal.aborted);
    writeSummary(outDir, final);
    return report(final, signal.aborted, argv);
  } catch (e) {
    return reportError(e, out);
  } finally {
    restoreStderr();
  }
}

/** Prints the table (or the --json envelope) and says how the batch ended: 0, 9 when some image failed, 130 when interrupted. */
function report(s: ReturnType<typeof summaryOf>, interrupted: boolean, argv: BatchArgs): number {
  const failed = s.images.filter((e) => e.outcome === 'failed');
  const where = `${resolve(argv.out)}/summary.md`;
  const err = interrupted
    ? new RoProfileError('INTERRUPTED', `Interrupted (${countLine(s)}); everything the runs created was removed`, { hint: `The partial summary is in ${where}; run the same command with --resume to finish.` })
    : failed.length > 0
      ? new RoProfileError('BATCH_FAILED', `${failed.length} of ${s.counts.total} images failed: ${failed.map((e) => `${e.image} (exit ${e.exitCode})`).join(', ')}`, {
          hint: `Each failed image's error is in its status.json and in ${where}; fix them and run again with --resume to re-run only those.`,
        })
      : undefined;
  if (argv.json) process.stdout.write(`${JSON.stringify({ outcome: err ? 'error' : 'success', summary: s, ...(err ? { error: { code: err.code, message: err.message, hint: err.hint ?? null } } : {}) })}\n`);
  else process.stdout.write(renderTable(s.images));
  if (!err) {
    if (!argv.quiet) process.stderr.write(`ro-profile: batch done: ${countLine(s)}; summary in ${where}\n`);
    return EXIT.ok;
  }
  process.stderr.write(`ro-profile: ${err.message}\nhint: ${err.hint}\n`);
  return interrupted ? EXIT.interrupted : EXIT.batch;
}

/** The references given as arguments, then those of --file (standard input for "-"). */
function imagesOf(args: readonly string[], fileFlag: string | undefined): ListedImage[] {
  // yargs hands "--file -" over as an empty --file (the "-" itself is dropped): both are standard input.
  const file = fileFlag === '' ? '-' : fileFlag;
  const listed: ListedImage[] = args.map((image, i) => ({ image: String(image), from: `argument ${i + 1}` }));
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (e) {
      throw new RoProfileError('USAGE', `"--file ${file}" cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { hint: 'Check the path; it is read relative to the current directory.' });
    }
    listed.push(...parseImageList(text, file === '-' ? 'stdin' : file));
  }
  if (listed.length === 0) throw new RoProfileError('USAGE', 'no image to profile', { hint: 'Name images as arguments, or give a list with --file LIST.' });
  return listed;
}

/** The exercise profile an image follows, by content, for the fingerprint (a profile that cannot be read fails that image later). */
function profileSha(image: string, flag: string | false | undefined): string | undefined {
  try {
    return selectProfile(image, flag)?.ref.sha256;
  } catch {
    return undefined;
  }
}
