import { readFirstFile } from '../harvest/archive.js';
import type { Result } from '../model/result.js';
import type { Engine } from '../runtime/engine.js';
import { linesOf } from './observe.js';

const MAX_LOG_BYTES = 1 << 20;

/**
 * The log files the app wrote during the writable run (the analysis's log-file findings name
 * them), read from the stopped container's writable layer, in the form observeRun gives the
 * hardened run's (`FILE: line`).
 */
export async function readStoppedLogFiles(engine: Engine, id: string, r: Result): Promise<string[]> {
  const out: string[] = [];
  for (const f of logFilesOf(r)) {
    const file = await engine
      .getArchive(id, f)
      .then((tar) => readFirstFile(tar, MAX_LOG_BYTES))
      .catch(() => undefined);
    if (file) out.push(...linesOf(file.body.toString('utf8')).map((l) => `${f}: ${l}`));
  }
  return out;
}

/** Log files the app wrote inside its mounts. */
export function logFilesOf(r: Result): string[] {
  return [...new Set(r.findings.filter((f) => f.kind === 'log-file').flatMap((f) => f.evidence.filter((e) => e.startsWith('/'))))];
}

/** Secret values never reach the output: verification evidence quotes logs and exec output. */
export function redactVerification(r: Result, redact: (t: string) => string): Result {
  return {
    ...r,
    findings: r.findings.map((f) => ({ ...f, message: redact(f.message), evidence: f.evidence.map(redact) })),
    verification: r.verification.map((v) => ({
      ...v,
      rounds: v.rounds.map((round) => ({
        ...round,
        differences: round.differences.map((d) => ({ ...d, message: redact(d.message), ...(d.lines ? { lines: d.lines.map(redact) } : {}) })),
      })),
    })),
    plan: { mounts: r.plan.mounts.map((m) => (m.verified ? { ...m, verified: { ...m.verified, evidence: m.verified.evidence.map(redact) } } : m)) },
    ...(r.hardening
      ? {
          hardening: {
            ...r.hardening,
            capAdd: r.hardening.capAdd.map((c) => ({ ...c, evidence: c.evidence.map(redact) })),
            rejected: r.hardening.rejected.map((x) => ({ ...x, message: redact(x.message), evidence: x.evidence.map(redact) })),
            ...(r.hardening.processes ? { processes: r.hardening.processes.map(redact) } : {}),
          },
        }
      : {}),
  };
}
