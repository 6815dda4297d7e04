import { displayPath } from '../emit/one-line.js';
import { DIFF_RULES, isWidening, widenings, type ResultDiff } from './diff-model.js';

/** Pure renderers of a diff: the table a human reads and the JSON a script reads. */

function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? [];
  // The last column is free text holding paths: never padded.
  return rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}`);
}

export function diffSummary(d: ResultDiff): string {
  const w = widenings(d).length;
  const info = d.changes.length - w;
  if (d.changes.length === 0) return 'no change';
  return `${w > 0 ? `widened: ${w} change${w === 1 ? ' widens' : 's widen'} the config` : 'not widened'}${info > 0 ? `, ${info} other change${info === 1 ? '' : 's'}` : ''}`;
}

export function renderDiffTable(d: ResultDiff): string {
  const lines = [`old  ${displayPath(d.old.file)} (${d.old.image})`, `new  ${displayPath(d.new.file)} (${d.new.image})`];
  if (d.changes.length > 0) {
    lines.push('', ...columns([['GATE', 'KIND', 'PATH', 'CHANGE'], ...d.changes.map((c) => [isWidening(c) ? 'FAIL' : 'info', c.kind, c.path !== undefined ? displayPath(c.path) : '-', displayPath(c.message)])]));
  }
  return `${lines.join('\n')}\n\n${diffSummary(d)}\n`;
}

/** The JSON document: keys in a fixed order, changes in the diff's order, so the same two results give the same bytes. */
export function diffJson(d: ResultDiff, toolVersion: string): object {
  return {
    tool: { name: 'ro-profile', version: toolVersion },
    old: d.old,
    new: d.new,
    widened: widenings(d).length > 0,
    changes: d.changes.map((c) => ({ kind: c.kind, widening: DIFF_RULES[c.kind].widening, ...(c.path !== undefined ? { path: c.path } : {}), message: c.message, ...(c.old !== undefined ? { old: c.old } : {}), ...(c.new !== undefined ? { new: c.new } : {}) })),
  };
}

export function renderDiffJson(d: ResultDiff, toolVersion: string): string {
  return `${JSON.stringify(diffJson(d, toolVersion), null, 2)}\n`;
}
