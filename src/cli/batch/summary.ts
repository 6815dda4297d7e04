import { join } from 'node:path';
import type { BatchEntry, EntryOutcome } from './batch-entry.js';
import { jsonText, writeFileAtomic } from './status-file.js';

/** DIR/summary.json: the batch as it stands (finished false while images are still running, or when it was interrupted). */
export interface BatchSummary {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'ro-profile'; readonly version: string };
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly finished: boolean;
  readonly counts: Readonly<Record<EntryOutcome, number>> & { readonly total: number };
  readonly images: readonly BatchEntry[];
}

export function summaryOf(entries: readonly BatchEntry[], o: { readonly toolVersion: string; readonly startedAt: string; readonly updatedAt: string; readonly finished: boolean }): BatchSummary {
  const counts = { total: entries.length, success: 0, failed: 0, resumed: 0, interrupted: 0, 'not-run': 0, pending: 0, running: 0 };
  for (const e of entries) counts[e.outcome]++;
  return { schemaVersion: 1, tool: { name: 'ro-profile', version: o.toolVersion }, startedAt: o.startedAt, updatedAt: o.updatedAt, finished: o.finished, counts, images: entries };
}

const HEADER = ['image', 'outcome', 'exit', 'mounts', 'hardening', 'verified-with', 'seconds', 'dir'] as const;

function cells(e: BatchEntry): string[] {
  return [
    e.image,
    e.outcome,
    e.exitCode !== undefined ? String(e.exitCode) : '-',
    e.mounts !== undefined ? String(e.mounts) : '-',
    e.hardening ?? '-',
    e.verifiedWith ?? '-',
    e.seconds !== undefined ? e.seconds.toFixed(1) : '-',
    `${e.dir}/`,
  ];
}

/** The table on stdout: one row an image, in the order given, columns padded to their widest cell. */
export function renderTable(entries: readonly BatchEntry[]): string {
  const rows = [HEADER.map((h) => h.toUpperCase()), ...entries.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

/** summary.md: the same table in Markdown, then each failure's error and hint. */
export function renderMarkdown(s: BatchSummary): string {
  const esc = (t: string) => t.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
  const lines = [
    '# ro-profile batch',
    '',
    `${s.counts.total} image(s): ${countLine(s)}${s.finished ? '' : ' (not finished: this is a partial summary)'}.`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map(() => '---').join('|')}|`,
    ...s.images.map((e) => `| ${cells(e).map((c, i) => (i === 0 || i === 7 ? `\`${esc(c)}\`` : esc(c))).join(' | ')} |`),
  ];
  const failed = s.images.filter((e) => e.error !== undefined && e.outcome === 'failed');
  if (failed.length > 0) {
    lines.push('', '## Failures');
    for (const e of failed) {
      lines.push('', `### \`${esc(e.image)}\`: exit ${e.exitCode ?? '-'} (${e.error!.code})`, '', '```text', e.error!.message.replace(/```/g, "'''"), '```');
      if (e.error!.hint) lines.push('', `Hint: ${e.error!.hint}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** "2 success, 1 failed": the outcomes that occur, in a fixed order. */
export function countLine(s: BatchSummary): string {
  const order: EntryOutcome[] = ['success', 'resumed', 'failed', 'interrupted', 'not-run', 'running', 'pending'];
  return order.filter((o) => s.counts[o] > 0).map((o) => `${s.counts[o]} ${o}`).join(', ') || 'none';
}

/** Writes summary.json and summary.md into DIR, each whole or not at all. */
export function writeSummary(outDir: string, s: BatchSummary): void {
  writeFileAtomic(join(outDir, 'summary.json'), jsonText(s));
  writeFileAtomic(join(outDir, 'summary.md'), renderMarkdown(s));
}
