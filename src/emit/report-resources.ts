import { limitsForMounts } from '../analyze/limits.js';
import type { Result } from '../model/result.js';
import type { RunUsage } from '../model/usage.js';
import { composeLimits, k8sResources, runLimitArgs } from './resources.js';

/**
 * The report's "Resources" section: what each run measured beside the limits chosen from it,
 * each limit as every format writes it, and per mount the bytes written (writable run) and in
 * use (the hardened run's tmpfs) beside its size. Pure.
 */
export function resourcesSection(r: Result): string[] {
  const out = ['## Resources', ''];
  const p = r.usage?.profile;
  const v = r.usage?.verify;
  if (!p && !v) {
    out.push(r.exercise.readiness === 'trace' ? 'Not measured: the image was read from a strace log, not run.' : 'Not measured: the run ended before a reading of its counters (a job that finishes at once); no limits are set.', '');
    return out;
  }
  out.push(`Measured from ${sourceOf(p ?? v!)}${p ? `: the writable run over ${seconds(p.durationMs)} (${p.samples} readings)` : ''}${v ? `${p ? ', ' : ': '}the final verification run over ${seconds(v.durationMs)} (${v.samples} readings)${r.limits ? ', under the limits below' : ''}` : ''}. A peak is the highest reading, or the kernel's own peak where it keeps one.`, '');
  const l = r.limits ? limitsForMounts(r.limits, r.plan.mounts) : undefined;
  const res = l ? k8sResources(l, 0) : undefined;
  const cl = l ? composeLimits(l, r.plan.mounts) : {};
  const run = l ? runLimitArgs(l, r.plan.mounts) : [];
  out.push('| | writable run | verification run | limit | in the config |', '| --- | --- | --- | --- | --- |');
  out.push(`| memory, working set peak | ${mib(p?.workingSetPeakBytes)} | ${mib(v?.workingSetPeakBytes)} | ${l ? `${mib(l.appMemoryBytes)} app${l.tmpfsBytes > 0 ? ` + ${mib(l.tmpfsBytes)} tmpfs = ${mib(l.memoryBytes)}` : ''}` : '—'} | ${l ? `\`--memory ${run[1]}\`, compose \`mem_limit: ${cl.mem_limit}\`, k8s \`memory: ${res!.limits.memory}\`` : '—'} |`);
  out.push(`| memory with page cache, peak | ${mib(p?.memoryPeakBytes)} | ${mib(v?.memoryPeakBytes)} | | |`);
  out.push(`| CPU, peak rate | ${cores(p?.cpuPeakCores)} | ${cores(v?.cpuPeakCores)} | ${l ? `${l.cpus} cores` : '—'} | ${l ? `\`--cpus ${run[3]}\`, compose \`cpus: ${cl.cpus}\`, k8s \`limits.cpu: ${res!.limits.cpu}\`` : '—'} |`);
  out.push(`| CPU time | ${cpuTime(p)} | ${cpuTime(v)} | ${l ? `request ${l.cpuRequest} cores` : '—'} | ${l ? `k8s \`requests.cpu: ${res!.requests.cpu}\`` : '—'} |`);
  out.push(`| tasks (processes and threads), peak | ${p?.pidsPeak ?? '—'} | ${v?.pidsPeak ?? '—'} | ${l ? String(l.pids) : '—'} | ${l ? `\`--pids-limit ${l.pids}\`, compose \`pids_limit: ${l.pids}\`; Kubernetes: the node's podPidsLimit` : '—'} |`);
  out.push('');
  if (l) {
    out.push(`Limits: **${l.policy}**, headroom ×${l.headroom}.`, '');
    out.push(`- memory: ${l.basis.memory}`, `- CPU: ${l.basis.cpus}`, `- tasks: ${l.basis.pids}`);
    const verified = r.verification.at(-1);
    out.push(verified ? `- ${verified.result === 'pass' ? 'Verified' : 'NOT verified'} under these limits with ${verified.format} on ${verified.runtime} ${verified.version}.` : '- Not verified under these limits yet (`ro-profile verify RESULT.json`).');
    if (r.plan.mounts.some((m) => m.kind !== 'volume')) out.push('- A Pod counts a disk-backed emptyDir against ephemeral storage, not memory; a memory-backed one (`--k8s-memory`) counts against the memory limit, so the limit then adds its sizeLimit.');
    out.push('- The exercise is short: check the limits under real load before production, and raise `--headroom` for bursty apps.', '');
  } else {
    out.push('No limits in the config (`--limits off`); `--limits starter` or `strict` sets them from these figures.', '');
  }
  const rows = mountRows(r);
  if (rows.length > 0) {
    out.push('| mount | kind | size | written in the writable run | in use in the verification run |', '| --- | --- | --- | --- | --- |');
    out.push(...rows, '');
  }
  return out;
}

function mountRows(r: Result): string[] {
  const written = new Map((r.usage?.profile?.mounts ?? []).filter((m) => m.source === 'written').map((m) => [m.path, m.peakBytes]));
  const inUse = new Map((r.usage?.verify?.mounts ?? []).filter((m) => m.source === 'tmpfs').map((m) => [m.path, m.peakBytes]));
  return r.plan.mounts.map((m) => `| \`${m.path.replace(/\|/g, '\\|')}\` | ${m.kind} | ${m.kind === 'tmpfs' ? mib(m.sizeBytes) : 'unbounded (a volume)'} | ${mib(written.get(m.path) ?? m.observedBytes)} | ${inUse.has(m.path) ? mib(inUse.get(m.path)) : '—'} |`);
}

function sourceOf(u: RunUsage): string {
  return u.source === 'engine-stats' ? "the engine's stats API (the cgroup files were not readable from here)" : `the container's cgroup (${u.source === 'cgroup-v1' ? 'v1' : 'v2'}) files`;
}

function mib(bytes: number | undefined): string {
  return bytes === undefined ? '—' : formatBytes(bytes);
}

/** Bytes as the report writes them: whole MiB exactly, else one decimal of the largest unit. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

function cores(c: number | undefined): string {
  return c === undefined ? '—' : `${c} cores`;
}

function cpuTime(u: RunUsage | undefined): string {
  return u ? `${u.cpuSeconds} s` : '—';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
