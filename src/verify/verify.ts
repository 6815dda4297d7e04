import { limitsForMounts } from '../analyze/limits.js';
import { planMounts } from '../analyze/plan-mounts.js';
import type { RunUsage } from '../model/usage.js';
import { isUnder } from '../analyze/paths.js';
import { mergeFsFacts } from '../harvest/merge-fs-facts.js';
import type { Finding, Mount } from '../model/mount-plan.js';
import type { Difference, Result, VerificationRecord, VerifyRound } from '../model/result.js';
import type { WriteEvent } from '../model/write-event.js';
import { traceFacts } from '../pipeline/analyze-trace.js';
import { openImageView } from '../pipeline/image-view.js';
import { userMountTargets } from '../pipeline/launch-spec.js';
import { alternativesOf, candidateEvent, stillFailsWith, type Alternatives } from './alternatives.js';
import { compareRuns, comparisonNotes } from './compare.js';
import { pathsFromLogLine } from './log-paths.js';
import { logFilesOf } from './evidence.js';
import { leaveOneOutOrder } from './leave-one-out-order.js';
import type { Launcher } from './launcher.js';
import { observeContainer, type Observation } from './observe.js';
import type { VerifyRunOptions } from '../pipeline/ports.js';

/** A verification pass: what the pipeline gives (VerifyRunOptions), and how the config is brought up. */
export interface VerifyOptions extends VerifyRunOptions {
  /** The format verified (--verify-with). */
  readonly launcher: Launcher;
}

export interface Verified {
  readonly result: Result;
  readonly passed: boolean;
}

/**
 * The verify stage: runs the image under the planned config with the same exercise, compares it
 * with the writable run, and where it differs turns the paths its new log lines name into
 * `failed-write` events for the same analysis, until it passes or --max-rounds runs out. Then it
 * leaves each mount out once (within a budget): a mount without which the run still compares
 * equal, and that only serves edits of shipped files, is optional and left out (a finding says
 * so); every other mount records what broke without it. A final run restarts the container
 * (fresh tmpfs, same volumes). Every run is recorded in `verification`.
 */
export async function verifyResult(result: Result, o: VerifyOptions): Promise<Verified> {
  // Verification's own mounts are fresh volumes; the user's -v/--mount are theirs, and mounted as given.
  // With --compose, the file's named volumes are the run's project's, scratch removed after it.
  const scratch = o.ctx.composeBase ? `${o.ctx.composeBase.project}_` : undefined;
  const own = [...result.run.volumes, ...result.run.mounts].filter((v) => scratch === undefined || !(v.startsWith(scratch) || v.includes(`source=${scratch}`)));
  if (own.length > 0) {
    o.reporter.warn(`verification starts the image again under each config it tries with your own mounts (${own.join('; ')}), as the profile did: what those runs write there lands in them (use scratch volumes for profiling, or --no-verify)`);
  }
  const rounds: VerifyRound[] = [];
  let current = result;
  let view: string | undefined;
  for (let round = 1; ; round++) {
    const { diffs, obs } = await observePlan(o, current.plan.mounts, current, false, `r${round}`);
    const passed = diffs.length === 0;
    // A traced run that differed: the writes the kernel refused it name their paths exactly.
    const refused = passed ? [] : refusedOf(obs);
    o.reporter.stage('verify', `round ${round}: ${passed ? 'compares equal with the writable run' : diffs.map((d) => d.message).join('; ')}`);
    if (passed) {
      rounds.push(round_('verify', current.plan.mounts, diffs));
      break;
    }
    // A line naming several alternatives: try them one at a time before mounting them all.
    const alt = alternativesOf(diffs, o.ctx.secrets.get('TMPDIR'));
    const tries: VerifyRound[] = [];
    const picked = alt && round < o.maxRounds ? await tryAlternatives(current, alt, diffs, refused, o, (view ??= await openImageView(o.ctx.engine, current.image.id, o.viewLabels, o.ctx.scope)), tries) : undefined;
    if (picked && alt) {
      rounds.push(withRefused(round_('verify', current.plan.mounts, diffs), refused), ...tries);
      o.reporter.info(`repairing: ${picked.dir} (of ${alt.candidates.join(', ')}, the first that works)`);
      current = picked.result;
      if (tries.at(-1)?.result === 'pass') break;
      continue;
    }
    const repairs = repairEvents(diffs, current.events, current.plan.mounts, refused);
    const next = repairs.length > 0 && round < o.maxRounds ? await replan(current, repairs, o, (view ??= await openImageView(o.ctx.engine, current.image.id, o.viewLabels, o.ctx.scope))) : undefined;
    const repaired = next ? changedMounts(current.plan.mounts, next.plan.mounts) : [];
    rounds.push({ ...withRefused(round_('verify', current.plan.mounts, diffs), refused), ...(repaired.length > 0 ? { repaired } : {}) }, ...tries);
    if (!next || repaired.length === 0) return { result: record(current, o, rounds, 'fail', obs.usage), passed: false };
    o.reporter.info(`repairing: ${repaired.join(', ')}`);
    current = next;
  }

  const beforeLoo = current;
  const loo = await leaveOneOut(current, o, rounds);
  current = loo.result;
  const final = { ...o, baseline: { ...o.baseline, logLines: [...o.baseline.logLines, ...loo.accepted] } };

  let finalRun = await observePlan(final, current.plan.mounts, current, true, 'final');
  let finalDiffs = finalRun.diffs;
  rounds.push(round_('final', current.plan.mounts, finalDiffs));
  if (finalDiffs.some((d) => d.kind !== 'restart') && current.plan.mounts.length < beforeLoo.plan.mounts.length) {
    // Each optional mount was tried alone; together they are not: keep them all, as verified before.
    const verifiedOf = new Map(current.plan.mounts.map((m) => [m.path, m.verified]));
    const restored = beforeLoo.plan.mounts.map((m) => {
      const v = verifiedOf.get(m.path);
      return v ? { ...m, verified: v } : m;
    });
    current = { ...beforeLoo, plan: { mounts: restored } };
    finalRun = await observePlan(o, current.plan.mounts, current, true, 'final2');
    finalDiffs = finalRun.diffs;
    rounds.push(round_('final', current.plan.mounts, finalDiffs));
  }
  o.reporter.stage('verify', `final run with a restart: ${finalDiffs.length === 0 ? 'compares equal' : finalDiffs.map((d) => d.message).join('; ')}`);
  if (finalDiffs.length > 0 && finalDiffs.every((d) => d.kind === 'restart')) {
    // It runs once but not twice on the same mounts: say so; the config is still what it needs.
    const f: Finding = {
      kind: 'restart-state',
      severity: 'warning',
      path: current.plan.mounts[0]?.path ?? '/',
      message: 'the app runs under this config but fails when the container is started again on the same mounts (state left by the first start, e.g. a lock or pid file); Kubernetes keeps an emptyDir across container restarts',
      evidence: finalDiffs.flatMap((d) => [d.message, ...(d.lines ?? [])]).slice(0, 20),
    };
    current = { ...current, findings: [...current.findings, f] };
  }
  const passed = finalDiffs.length === 0 || finalDiffs.every((d) => d.kind === 'restart');
  return { result: record(current, o, rounds, passed ? 'pass' : 'fail', finalRun.obs.usage), passed };
}

/** Runs one config on volumes of its own (removed after) and compares it with the baseline. */
async function tryPlan(o: VerifyOptions, mounts: readonly Mount[], r: Result, restart: boolean, tag: string): Promise<Difference[]> {
  return (await observePlan(o, mounts, r, restart, tag)).diffs;
}

export async function observePlan(o: VerifyOptions, mounts: readonly Mount[], r: Result, restart: boolean, tag: string, failFast = false): Promise<{ diffs: Difference[]; obs: Observation }> {
  const launched = await o.launcher.launch(o.ctx, r, mounts, tag);
  const obs = await observeContainer(o.ctx, launched, { restart, logFiles: logFilesOf(r), tmpfs: mounts.filter((m) => m.kind === 'tmpfs').map((m) => m.path), failFast });
  return { diffs: compareRuns(o.baseline, obs), obs };
}

/**
 * Leaves each mount out once, as long as the budget lasts. Optional (dropped) only when the run
 * still compares equal AND the mount serves nothing but edits of files the image ships: a
 * created file or directory is kept even when this exercise did not miss it.
 */
async function leaveOneOut(r: Result, o: VerifyOptions, rounds: VerifyRound[]): Promise<{ result: Result; accepted: string[] }> {
  const mounts = [...r.plan.mounts];
  // Decided mounts, by their place in the plan: the plan keeps its order whatever order they are tried in.
  const decided = new Map<Mount, Mount | undefined>();
  const dropped: { mount: Mount; lines: string[] }[] = [];
  let budget = o.leaveOneOutBudget;
  for (const m of leaveOneOutOrder(mounts, r.profile?.writes ?? [])) {
    if (budget <= 0) break;
    budget--;
    // Every other mount but those already left out for good.
    const without = mounts.filter((x) => x !== m && !(decided.has(x) && decided.get(x) === undefined)).map((x) => decided.get(x) ?? x);
    const { diffs } = await observePlan(o, without, r, false, `loo${mounts.indexOf(m)}`);
    rounds.push({ ...round_('leave-one-out', without, diffs), without: m.path });
    const editsOnly = onlyEditsShipped(m, r.events);
    if (editsOnly && diffs.every((d) => onlyAbout(d, m.path))) {
      // It ran the same, and all it said differently is about the edit it skipped.
      dropped.push({ mount: m, lines: diffs.flatMap((d) => d.lines ?? []) });
      decided.set(m, undefined);
    } else if (diffs.length > 0) {
      decided.set(m, { ...m, verified: { without: 'broke', evidence: diffs.flatMap((d) => [d.message, ...(d.lines ?? []).slice(0, 3)]).slice(0, 8) } });
    } else {
      decided.set(m, { ...m, verified: { without: 'no-difference', evidence: ['the run compared equal without it during this exercise; kept, since the app created files here'] } });
    }
    o.reporter.info(`without ${m.path}: ${dropped.at(-1)?.mount === m ? 'runs the same (it only logs the skipped edit): optional' : diffs.length > 0 ? 'broke' : 'no difference'}`);
  }
  const kept = mounts.flatMap((m) => (decided.has(m) ? (decided.get(m) ? [decided.get(m)!] : []) : [m]));
  if (dropped.length === 0) return { result: { ...r, plan: { mounts: kept } }, accepted: [] };
  const findings: Finding[] = dropped.map(({ mount, lines }) => ({
    kind: 'optional-write',
    severity: 'info',
    path: mount.path,
    message: `the app edits ${mount.covers.join(', ')}, which the image ships; with ${mount.path} read-only it skips the edit and runs the same (same readiness, probes and exec steps; it only logs that it skipped the edit), so the mount is left out`,
    evidence: [...mount.covers.slice(0, 10), ...lines.map((l) => `without it, it logged: ${l}`)],
  }));
  const droppedPaths = new Set(dropped.map((d) => d.mount.path));
  return {
    result: { ...r, plan: { mounts: kept }, findings: [...r.findings.filter((f) => !droppedPaths.has(f.path) || f.kind === 'system-write'), ...findings] },
    // What the app says when it skips an optional edit is expected from now on.
    accepted: dropped.flatMap((d) => d.lines),
  };
}

/** A difference that is only new log lines naming paths under `dir` (the app reporting the edit it skipped). */
function onlyAbout(d: Difference, dir: string): boolean {
  const lines = d.lines ?? [];
  return d.kind === 'log' && lines.length > 0 && lines.every((l) => {
    const paths = pathsFromLogLine(l);
    return paths.length > 0 && paths.every((p) => isUnder(p.path, dir));
  });
}

/** Every write under the mount is a change to a file the image ships (no file or directory created). */
function onlyEditsShipped(m: Mount, events: readonly WriteEvent[]): boolean {
  const under = events.filter((e) => isUnder(e.realPath, m.path) && e.op !== 'exec');
  // A refused change of a directory the image ships (a chown or chmod of it at start, logged and
  // carried on from) edits shipped content as much as a modified file does.
  return under.length > 0 && under.every((e) => (e.op === 'modify' && e.type !== 'dir') || (e.op === 'failed-write' && e.source === 'verify-log' && e.type === 'dir'));
}

/** The refused writes of a traced run and of its restart. */
function refusedOf(obs: Observation): WriteEvent[] {
  return [...(obs.refused ?? []), ...(obs.restart?.refused ?? [])];
}

function withRefused(round: VerifyRound, refused: readonly WriteEvent[]): VerifyRound {
  if (refused.length === 0) return round;
  return { ...round, refused: [...new Set(refused.map((e) => `${e.errno ?? 'refused'} ${e.op === 'exec' ? 'exec ' : ''}${e.realPath}`))].slice(0, 20) };
}

/**
 * What the differences' lines say, and what a traced run was refused, as events the analysis
 * has not seen yet: a path that could not be written is a failed write; a path refused with
 * "Permission denied" under a noexec tmpfs of the config (a script or library the app runs from
 * there) is an execution. A refused write the writable run was refused too is nothing new.
 */
export function repairEvents(diffs: readonly Difference[], known: readonly WriteEvent[], mounts: readonly Mount[] = [], refused: readonly WriteEvent[] = []): WriteEvent[] {
  const seen = new Set(known.filter((e) => e.errno !== undefined || e.op === 'failed-write' || e.op === 'exec').map((e) => `${e.op}\0${e.realPath}`));
  const out: WriteEvent[] = [];
  const add = (e: WriteEvent) => {
    const key = `${e.op}\0${e.realPath}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(e);
  };
  for (const d of diffs) {
    for (const line of d.lines ?? []) {
      for (const { path, errno } of pathsFromLogLine(line)) {
        if (!path.startsWith('/')) continue;
        const noexec = mounts.find((m) => m.kind === 'tmpfs' && !m.exec && isUnder(path, m.path));
        if (errno === 'EACCES' && noexec) add({ path, realPath: path, op: 'exec', source: 'verify-log', errno });
        else add({ path, realPath: path, op: 'failed-write', source: 'verify-log', errno: errno === 'other' ? 'EROFS' : errno });
      }
    }
  }
  for (const e of refused) add(e);
  return out;
}

/**
 * One candidate of a line that names several at a time, in order: the first whose run no longer
 * fails that way is the repair (one mount, the smallest set), each try recorded as a round.
 * Candidates the image does not have as directories, or that would be writes into a system tree,
 * are not tried. Undefined when none works alone.
 */
async function tryAlternatives(r: Result, alt: Alternatives, diffs: readonly Difference[], refused: readonly WriteEvent[], o: VerifyOptions, view: string, rounds: VerifyRound[]): Promise<{ result: Result; dir: string } | undefined> {
  // What the run was refused in the candidates is the search itself: only one of them is tried at a time.
  const others = repairEvents(diffs, r.events, r.plan.mounts, refused).filter((e) => !alt.candidates.some((c) => isUnder(e.realPath, c)));
  for (const dir of alt.candidates) {
    // A link (/var/tmp -> /tmp) is tried too: the analysis resolves it to the directory it names.
    const st = await o.ctx.engine.statPath(view, dir);
    if (st?.type !== 'dir' && st?.type !== 'symlink') continue;
    const next = await replan(r, [candidateEvent(dir), ...others], o, view);
    if (next.findings.some((f) => f.kind === 'system-write' && f.severity === 'error')) continue;
    const repaired = changedMounts(r.plan.mounts, next.plan.mounts);
    if (repaired.length === 0) continue;
    const tried = await tryPlan(o, next.plan.mounts, next, false, `alt${rounds.length}`);
    o.reporter.info(`trying ${dir} of ${alt.candidates.join(', ')}: ${stillFailsWith(tried, alt) ? 'fails the same way' : 'works'}`);
    rounds.push({ ...round_('verify', next.plan.mounts, tried), repaired, candidates: [...alt.candidates] });
    if (!stillFailsWith(tried, alt)) return { result: next, dir };
  }
  return undefined;
}

/** The result re-analysed with the events verification found. */
async function replan(r: Result, repairs: readonly WriteEvent[], o: VerifyOptions, view: string): Promise<Result> {
  const t = await traceFacts(o.ctx.engine, view, repairs, () => false);
  const events = [...r.events, ...t.events];
  const fs = mergeFsFacts(r.fs, t.fs);
  const analysis = planMounts({ image: r.image, events, fs, userMounts: userMountTargets(r.run), persist: r.analysis.persist, ephemeral: r.analysis.ephemeral, ...(r.analysis.state ? { state: r.analysis.state } : {}), ...(r.analysis.volumePrefix !== undefined ? { volumePrefix: r.analysis.volumePrefix } : {}), ...(r.analysis.minTmpfsBytes !== undefined ? { minTmpfsBytes: r.analysis.minTmpfsBytes } : {}) });
  return { ...r, events, fs, plan: analysis.plan, findings: analysis.findings };
}

function changedMounts(before: readonly Mount[], after: readonly Mount[]): string[] {
  const key = (m: Mount) => `${m.path}\0${m.kind}\0${m.uid}\0${m.gid}\0${m.mode}\0${m.exec}`;
  const old = new Set(before.map(key));
  return after.filter((m) => !old.has(key(m))).map((m) => m.path);
}

function round_(kind: VerifyRound['kind'], mounts: readonly Mount[], diffs: readonly Difference[]): VerifyRound {
  return { kind, mounts: mounts.map((m) => m.path), result: diffs.length === 0 ? 'pass' : 'fail', differences: [...diffs] };
}

/**
 * The run's record, with what the final run used beside what the profile measured, and the
 * limits' memory for the mounts the config ended with (repairs add tmpfs, leave-one-out drops).
 */
function record(r: Result, o: VerifyOptions, rounds: readonly VerifyRound[], result: 'pass' | 'fail', finalUsage?: RunUsage): Result {
  const notes = comparisonNotes(o.baseline);
  // The run launcher goes through the API: on Podman's compatible socket, Podman ran it.
  const runtime = o.launcher.runtime === 'docker' && o.ctx.engineInfo.runtime === 'podman' ? 'podman' : o.launcher.runtime;
  const v: VerificationRecord = { format: o.launcher.format, runtime, version: o.runtimeVersion, result, rounds: [...rounds], ...(notes.length > 0 ? { notes } : {}) };
  const findings =
    result === 'fail'
      ? [
          ...r.findings,
          {
            kind: 'unverified' as const,
            severity: 'error' as const,
            path: '/',
            message: 'this config did not run as the writable run did; see the verification rounds for what differed',
            evidence: (rounds.at(-1)?.differences ?? []).flatMap((d) => [d.message, ...(d.lines ?? [])]).slice(0, 20),
          },
        ]
      : r.findings;
  return {
    ...r,
    findings,
    verification: [...r.verification, v],
    ...(finalUsage ? { usage: { ...r.usage, verify: finalUsage } } : {}),
    ...(r.limits ? { limits: limitsForMounts(r.limits, r.plan.mounts) } : {}),
  };
}
