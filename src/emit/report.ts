import { oneLine } from './one-line.js';
import type { Finding, Mount } from '../model/mount-plan.js';
import type { Result, VerifyRound } from '../model/result.js';
import type { WriteEvent } from '../model/write-event.js';
import { MIN_SIZE_BYTES, SIZE_FACTOR } from '../analyze/plan-mounts.js';
import { logsSection } from './log-advice.js';
import { hardeningSection } from './report-hardening.js';
import { knobsSection } from './report-knobs.js';
import { formatBytes, resourcesSection } from './report-resources.js';
import { formatMode } from './tmpfs-options.js';

/** Rows of written paths shown per mount before "… and N more". */
const MAX_ROWS = 25;

/**
 * A Markdown document of the image's write needs, for a pull request or a review: each mount
 * with what was written there and why, the findings, then the raw changes. Pure.
 */
export function emitReport(r: Result): string {
  const out: string[] = [];
  const digest = r.image.repoDigests[0] ?? r.image.id;
  out.push(`# Write profile of \`${r.image.ref}\``, '');
  out.push(`- Image: \`${digest}\` (${r.image.os}/${r.image.architecture}), user \`${r.image.user || 'root'}\``);
  out.push(`- Profiled by ro-profile ${r.tool.version}: ${describeExercise(r)}`);
  if (r.profile) out.push(`- Exercise profile: \`${r.profile.name}\` (${r.profile.source === 'built-in' ? 'built-in' : `\`${cell(r.profile.source)}\``}, sha256 \`${r.profile.sha256.slice(0, 12)}\`): ${r.profile.description}`);
  out.push(`- Seen by: ${describeSources(r)}`);
  out.push(`- Result: ${plural(r.plan.mounts.length, 'writable mount')} on a read-only root; ${plural(countBy(r.findings, 'error'), 'error')}, ${plural(countBy(r.findings, 'warning'), 'warning')}`);
  if (r.hardening) out.push(`- Hardening: ${r.hardening.level}${r.hardening.capAdd.length > 0 ? `, keeping ${r.hardening.capAdd.map((c) => c.name).join(', ')}` : ''}${r.hardening.verified ? '' : ' (not verified)'} (see Hardening)`);
  if (r.limits) out.push(`- Limits (${r.limits.policy}, headroom ×${r.limits.headroom}): memory ${formatBytes(r.limits.memoryBytes)}, ${r.limits.cpus} CPUs, ${r.limits.pids} tasks (see Resources)`);
  if (r.engine?.runtime === 'podman') out.push(`- Engine: Podman ${r.engine.version} through its Docker-compatible API. Its own writable tmpfs on /run, /tmp and /var/tmp (containers.conf read_only_tmpfs) were masked read-only during verification where the config mounts nothing under them, and tmpfs ownership was given as \`U\` (Podman refuses uid=/gid=): to run the docker flags below with \`podman run\`, replace \`uid=…,gid=…\` by \`U\` and add \`--read-only-tmpfs=false\`, or those three directories stay writable.`);
  out.push(`- Verified: ${r.verification.length > 0 ? r.verification.map((v) => `${v.result} with ${v.format} on ${v.runtime} ${v.version}`).join('; ') : 'not yet (this config has not been run under its hardening)'}`);
  out.push('');
  out.push('## Mounts', '');
  if (r.plan.mounts.length === 0) out.push('None: the app wrote nothing outside its volumes during the profile.', '');
  else {
    out.push('| path | kind | owner | mode | exec | size limit | written |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const m of r.plan.mounts) {
      out.push(`| \`${cell(m.path)}\` | ${kindLabel(m)} | ${m.uid}:${m.gid} | ${formatMode(m.mode)} | ${m.exec ? 'yes' : 'no'} | ${m.kind === 'tmpfs' ? formatBytes(m.sizeBytes) : '—'} | ${m.coversCount} path${m.coversCount === 1 ? '' : 's'}, ${formatBytes(m.observedBytes)} |`);
    }
    out.push('');
    out.push(`Sizes come from observation: max(${formatBytes(r.analysis.minTmpfsBytes ?? MIN_SIZE_BYTES)}${r.analysis.minTmpfsBytes !== undefined ? ' (--limits strict)' : ''}, ${SIZE_FACTOR} × the bytes written during the profile), rounded up to a MiB. A short exercise writes less than real traffic: raise them where you expect more.`, '');
    for (const m of r.plan.mounts) out.push(...mountSection(m, r.events));
  }
  out.push(...knobsSection(r));
  if (r.profile) out.push(...profileSection(r.profile));
  out.push('## Findings', '');
  if (r.findings.length === 0) out.push('None.', '');
  for (const f of r.findings) out.push(...findingLines(f));
  out.push(...hardeningSection(r));
  out.push(...logsSection(r));
  out.push(...resourcesSection(r));
  out.push(...verificationSection(r));
  out.push('## Raw changes', '');
  out.push('What `docker diff` showed (while running and after stop, merged), then what other sources saw.', '');
  out.push('```');
  for (const c of r.changes) out.push(`${c.kind === 'added' ? 'A' : c.kind === 'modified' ? 'C' : 'D'} ${c.path}`);
  for (const e of r.events.filter((x) => x.source !== 'diff')) out.push(`${e.source}: ${e.op} ${e.path}`);
  if (r.changes.length === 0 && r.events.every((x) => x.source === 'diff')) out.push('(none)');
  out.push('```', '');
  return `${out.join('\n')}`;
}

function mountSection(m: Mount, events: readonly WriteEvent[]): string[] {
  const out = [`### \`${m.path}\` (${kindLabel(m)})`, ''];
  for (const why of m.reasons) out.push(`- ${why}`);
  if (m.verified?.without === 'broke') out.push(`- required: without it the run broke (${m.verified.evidence.map((e) => oneLine(e)).join('; ')})`);
  if (m.verified?.without === 'no-difference') out.push(`- ${m.verified.evidence.map((e) => oneLine(e)).join('; ')}`);
  if (m.hides.length > 0) out.push(`- hides what the image ships there: ${m.hides.slice(0, MAX_ROWS).map((h) => `\`${h}\``).join(', ')}${m.hides.length > MAX_ROWS ? `, … and ${m.hides.length - MAX_ROWS} more` : ''}`);
  out.push('');
  const listed = new Set(m.covers);
  const rows = events.filter((e) => listed.has(e.realPath));
  if (rows.length > 0) {
    out.push('| written | op | type | bytes | owner | mode | seen by |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const e of rows.slice(0, MAX_ROWS)) {
      out.push(`| \`${cell(e.realPath)}\` | ${e.op} | ${e.type ?? '?'}${e.format ? ` (${e.format})` : ''} | ${e.size ?? '—'} | ${e.uid !== undefined ? `${e.uid}:${e.gid}` : '—'} | ${e.mode !== undefined ? formatMode(e.mode) : '—'} | ${e.source} |`);
    }
    // Rows not shown (a path can have several, e.g. created then removed), plus paths not listed in covers.
    const more = rows.length - Math.min(rows.length, MAX_ROWS) + (m.coversCount - m.covers.length);
    if (more > 0) out.push(`| … and ${more} more | | | | | | |`);
    out.push('');
  }
  return out;
}

/** Every verification run: what was tried, whether it compared equal, and what differed. */
function verificationSection(r: Result): string[] {
  if (r.verification.length === 0) return [];
  const out = ['## Verification', ''];
  out.push('Each run started the image under a config with the same pass-through and exercise as the profile, and compared it with the writable run: state (or a job\'s exit code), readiness, HTTP status, content type and page (exactly, or with numbers and ids masked where the writable run\'s own page changed them) or TCP outcome per port, exec steps, and new error lines in its logs.', '');
  for (const v of r.verification) {
    out.push(`With ${v.format} on ${v.runtime} ${v.version}: **${v.result}**`, '');
    out.push('| # | run | config | result | what differed |', '| --- | --- | --- | --- | --- |');
    v.rounds.forEach((round, i) => {
      const config = round.kind === 'harden' && round.harden ? hardenConfig(round.harden) : round.kind === 'leave-one-out' ? `without \`${cell(round.without ?? '')}\`` : round.mounts.length === 0 ? 'no mounts' : round.mounts.map((m) => `\`${cell(m)}\``).join(', ');
      const what = round.differences.length === 0 ? '—' : round.differences.map((d) => cell(oneLine(d.message)) + (d.paths && d.paths.length > 0 ? ` (${d.paths.map((p) => `\`${cell(p)}\``).join(', ')})` : '')).join('; ');
      const repaired = round.repaired && round.repaired.length > 0 ? `; ${round.candidates ? 'tried alone' : 'repaired'}: ${round.repaired.map((p) => `\`${cell(p)}\``).join(', ')}${round.candidates ? ` (one of ${round.candidates.map((p) => `\`${cell(p)}\``).join(', ')})` : ''}` : '';
      const refused = round.refused && round.refused.length > 0 ? `; refused (traced): ${round.refused.map((p) => `\`${cell(p)}\``).join(', ')}` : '';
      out.push(`| ${i + 1} | ${round.kind}${round.kind === 'final' || (round.kind === 'harden' && round.result === 'pass') ? ' (with a restart)' : ''} | ${config} | ${round.result} | ${what}${refused}${repaired} |`);
    });
    out.push('');
    for (const n of v.notes ?? []) out.push(`- Not compared: ${oneLine(n)}`);
    if ((v.notes ?? []).length > 0) out.push('');
    const lines = v.rounds.flatMap((round) => round.differences.flatMap((d) => d.lines ?? []));
    if (lines.length > 0) {
      out.push('Log lines that showed the differences:', '', '```');
      for (const l of [...new Set(lines)].slice(0, 30)) out.push(oneLine(l).replace(/```/g, "'''"));
      out.push('```', '');
    }
  }
  return out;
}

/** A harden round's config: its level, capabilities and user. */
function hardenConfig(h: NonNullable<VerifyRound['harden']>): string {
  return `${h.level}${h.user ? ` as \`${h.user}\`` : ''}${h.capAdd.length > 0 ? `, adding ${h.capAdd.map((c) => `\`${c}\``).join(', ')}` : ''}${h.withoutCap ? ` (without \`${h.withoutCap}\`)` : ''}`;
}

function findingLines(f: Finding): string[] {
  const out = [`- **${f.severity}** \`${f.kind}\` on \`${f.path}\`: ${f.message}`];
  for (const e of f.evidence.slice(0, 10)) out.push(`  - \`${e}\``);
  if (f.evidence.length > 10) out.push(`  - … and ${f.evidence.length - 10} more`);
  out.push('');
  return out;
}

function kindLabel(m: Mount): string {
  switch (m.kind) {
    case 'tmpfs':
      return 'tmpfs';
    case 'volume':
      return `volume \`${m.volumeName ?? ''}\``;
    case 'seeded':
      return `seeded volume \`${m.volumeName ?? ''}\``;
    default: {
      const never: never = m.kind;
      return String(never);
    }
  }
}

/** What the profile knew: the image's differences, its hints with reasons, the variables it set. */
function profileSection(p: NonNullable<Result['profile']>): string[] {
  const out = [`## Exercise profile \`${p.name}\``, ''];
  if (p.notes) out.push(p.notes, '');
  if (p.writes.length > 0) {
    out.push('What the profile says about paths (hints for verification; what was observed decides):', '');
    for (const w of p.writes) out.push(`- \`${cell(w.path)}\` ${w.kind}: ${w.reason}`);
    out.push('');
  }
  if (p.env.length > 0) {
    out.push(`Variables the profile set for the profiling runs (outputs name them; set your own values): ${p.env.map((e) => `\`${e.name}\`${e.kind === 'generated' ? ' (generated)' : ''}`).join(', ')}.`, '');
  }
  return out;
}

function describeExercise(r: Result): string {
  const x = r.exercise;
  if (x.readiness === 'trace') return 'from a strace log (analyze-strace): the image was read, not run';
  const parts = [x.readiness === 'job-exit' ? 'ran as a job to exit code 0' : `ready by ${x.readiness} after ${(x.readyAfterMs / 1000).toFixed(1)} s`];
  for (const p of x.probes) parts.push(p.kind === 'http' ? `HTTP ${p.status} on :${p.port}` : `TCP ${p.ok ? 'open' : (p.error ?? 'failed')} on :${p.port}`);
  // The profile's steps that ran and were recorded (--no-probe skips its HTTP and TCP ones).
  const stepCount = (r.run.exercise.steps ?? []).filter((s) => s.kind === 'exec' || s.kind === 'restart' || ((s.kind === 'http' || s.kind === 'tcp') && r.run.exercise.probe !== false)).length;
  if (stepCount > 0) parts.push(`${stepCount} profile step${stepCount === 1 ? '' : 's'}`);
  const execCount = x.execs.length - stepCount;
  if (execCount > 0) parts.push(`${execCount} --exec step${execCount === 1 ? '' : 's'}`);
  if (r.run.exercise.probe === false) parts.push('no request sent (--no-probe)');
  if (r.run.exercise.durationMs > 0) parts.push(`kept running ${(r.run.exercise.durationMs / 1000).toFixed(0)} s more`);
  return parts.join(', ');
}

function describeSources(r: Result): string {
  if (r.exercise.readiness === 'trace') return 'strace (a log given to analyze-strace)';
  const t = r.exercise.trace;
  const traced = t
    ? `; strace, traced live by the ${t.method === 'sidecar' ? 'sidecar method (a container joining the app\'s pid namespace)' : 'host method (strace on the engine\'s host)'} with \`${t.image}\`, ${t.lines} lines${t.steps > 0 ? ` (${plural(t.steps, '--exec step')} traced apart)` : ''}`
    : '; no live trace (add --tracer strace to see transient files, files opened but left unchanged, failed writes and executed files)';
  return `\`docker diff\` (while running and after stop), the declared volumes' files${traced}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function countBy(fs: readonly Finding[], severity: Finding['severity']): number {
  return fs.filter((f) => f.severity === severity).length;
}

/** Markdown table cells cannot hold a bare pipe or newline. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, '\\n');
}
