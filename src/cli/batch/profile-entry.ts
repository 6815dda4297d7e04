import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RoProfileError } from '../../errors.js';
import type { EmitOptions } from '../../emit/emit.js';
import type { ExerciseSpec } from '../../model/run-spec.js';
import type { CleanupScope } from '../../pipeline/cleanup-scope.js';
import { profileImage, type ProfileOptions } from '../../pipeline/profile.js';
import { redactor } from '../../pipeline/redact.js';
import { DockerEngine } from '../../runtime/docker-engine.js';
import type { SessionIdentity } from '../../runtime/labels.js';
import { imageRefProblem } from '../../syntax/image-ref.js';
import { exitCodeFor } from '../exit-codes.js';
import { writeResult, type OutputOptions } from '../output.js';
import { profileLine, resultError, runOf } from '../profile-flags.js';
import { applyProfile, selectProfile } from '../profile-selection.js';
import { buildRunSpec } from '../passthrough.js';
import { stderrReporter } from '../stderr-reporter.js';
import { entryErrorOf, resultFacts, type BatchEntry } from './batch-entry.js';
import type { ProfileOne } from './runner.js';
import { readStatus, writeStatus } from './status-file.js';

/** What every image of a batch is profiled with. */
export interface BatchContext {
  /** --out DIR, absolute. */
  readonly outDir: string;
  readonly identity: SessionIdentity;
  readonly toolVersion: string;
  readonly exercise: Omit<ExerciseSpec, 'probePorts'>;
  /** --timeout was given: it wins over a profile's own. */
  readonly timeoutGiven: boolean;
  /** --profile FILE|NAME, --no-profile (false), or undefined: the built-in that matches each image. */
  readonly profile: string | false | undefined;
  readonly pipeline: Pick<ProfileOptions, 'limits' | 'stopTimeoutSec' | 'verify' | 'tracer' | 'resources' | 'harden'>;
  readonly format: OutputOptions['format'];
  readonly emit: EmitOptions;
  readonly quiet: boolean;
  readonly fingerprints: ReadonlyMap<string, string>;
  /** The cleanup scopes of the images in flight: a second Ctrl-C names and halts them all. */
  readonly scopes: Set<CleanupScope>;
  /** Every value a profile generated for an image joins the stderr redaction. */
  readonly addSecrets: (redact: (t: string) => string) => void;
}

/**
 * Profiles one image of the batch into DIR/<safe-name>/ as `ro-profile IMAGE --format F --out`
 * would, with its status.json written when it starts and when it ends; the error of a failed
 * image goes into that file (and onto stderr, prefixed with the image), never further.
 */
export function entryProfiler(ctx: BatchContext): ProfileOne {
  return async (entry, signal) => {
    const dir = join(ctx.outDir, entry.dir);
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    const fingerprint = ctx.fingerprints.get(entry.image) ?? '';
    const status = (e: BatchEntry, finished: boolean) =>
      writeStatus(dir, { schemaVersion: 1, toolVersion: ctx.toolVersion, fingerprint, startedAt, ...(finished ? { finishedAt: new Date().toISOString() } : {}), entry: e });
    mkdirSync(dir, { recursive: true });
    // What an earlier run wrote here would read as this run's outputs if this one fails.
    for (const f of readStatus(dir)?.entry.files ?? []) if (!f.includes('/')) rmSync(join(dir, f), { force: true });
    status({ ...entry, outcome: 'running' }, false);
    const reporter = stderrReporter({ quiet: ctx.quiet, prefix: `[${entry.image}] ` });
    const seconds = () => Math.round((Date.now() - started) / 100) / 10;
    let scope: CleanupScope | undefined;
    let done: BatchEntry;
    try {
      const problem = imageRefProblem(entry.image);
      if (problem !== undefined) {
        throw new RoProfileError('USAGE', `"${entry.image}" is not an image reference: ${problem}`, { hint: 'Write it as docker pull takes it, e.g. nginx:1.27 or registry.example.com:5000/team/app@sha256:…' });
      }
      const picked = selectProfile(entry.image, ctx.profile);
      const built = buildRunSpec({ image: entry.image, env: [], envFile: [], volume: [], mount: [], publish: [], command: [] }, ctx.exercise, process.env);
      const applied = picked ? applyProfile(picked, built.run, built.secrets, { user: false, command: false, timeout: ctx.timeoutGiven }, { persist: [], ephemeral: [] }) : undefined;
      ctx.addSecrets(redactor(built.secrets));
      if (applied) reporter.stage('profile', profileLine(applied.profile));
      const result = await profileImage({
        engine: new DockerEngine(undefined, { signal }),
        reporter,
        signal,
        identity: ctx.identity,
        run: runOf(built.run, applied),
        secrets: built.secrets,
        cwd: process.cwd(),
        outDir: dir,
        toolVersion: ctx.toolVersion,
        ...(applied ? { profile: applied.profile, persistHints: applied.persistHints } : {}),
        persist: [],
        ephemeral: [],
        ...ctx.pipeline,
        onScope: (s) => {
          scope = s;
          ctx.scopes.add(s);
        },
      });
      if (signal.aborted) throw new RoProfileError('INTERRUPTED', 'Interrupted');
      const files = writeResult(result, { format: ctx.format, out: dir, json: false, emit: ctx.emit });
      // Exit 7 or 8 as the single run has them: the files are written (marked unverified), the image failed.
      const err = resultError(result);
      done = { ...entry, outcome: err ? 'failed' : 'success', exitCode: err ? exitCodeFor(err.code) : 0, ...resultFacts(result), seconds: seconds(), files, ...(err ? { error: { code: err.code, message: err.message, hint: err.hint ?? null } } : {}) };
    } catch (e) {
      const interrupted = signal.aborted;
      done = { ...entry, outcome: interrupted ? 'interrupted' : 'failed', ...entryErrorOf(interrupted ? new RoProfileError('INTERRUPTED', 'Interrupted; everything its run created was removed') : e), seconds: seconds() };
    } finally {
      if (scope) ctx.scopes.delete(scope);
    }
    // A failure is said even with --quiet, as the single run says its error.
    if (done.outcome === 'failed' && done.error) {
      const prefix = `[${entry.image}] `;
      process.stderr.write(`ro-profile: ${prefix}failed (exit ${done.exitCode}): ${done.error.message.split('\n').join(`\n${prefix}`)}\n${done.error.hint ? `${prefix}hint: ${done.error.hint}\n` : ''}`);
    }
    else reporter.info(`${done.outcome} in ${done.seconds?.toFixed(1)} s: ${entry.dir}/`);
    status(done, true);
    return done;
  };
}
