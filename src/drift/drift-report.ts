import { displayPath } from '../emit/one-line.js';
import { DRIFT_RULES, type ClassifiedChange } from './classify-drift.js';
import { driftCount, hasDrift, type ContainerDrift, type DriftReport } from './drift-model.js';

/** Pure renderers of a drift report: the table a human reads and the JSON a script reads. */

const KIND_WORD = { added: 'added', modified: 'changed', deleted: 'deleted' } as const;

/** The drift changes, by rule (in DRIFT_RULES order), then path. */
export function driftLines(c: ContainerDrift): ClassifiedChange[] {
  const order = (x: ClassifiedChange) => (x.rule ? DRIFT_RULES.indexOf(x.rule) : DRIFT_RULES.length);
  return c.classification.changes.filter((x) => x.class === 'drift').sort((a, b) => order(a) - order(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export { displayPath };

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? [];
  // The last column is a path: never padded, so trailing spaces in a name stay visible as such.
  return rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}`);
}

function containerTable(c: ContainerDrift): string[] {
  const k = c.container;
  const lines = [`container  ${k.name} (${short(k.id)}), image ${k.image} (${short(k.imageId)}), ${k.running ? 'running' : 'stopped'}`];
  if (c.result) lines.push(`result     ${c.result.file} (${c.result.imageRef}, ${short(c.result.imageId)}; ${c.result.matchedBy === 'given' ? 'given' : `matched by ${c.result.matchedBy}`})`);
  if (c.image) lines.push(`image      user ${c.image.user || 'root'}, declared volumes ${c.image.volumes.length > 0 ? c.image.volumes.join(', ') : 'none'}`);
  for (const w of c.warnings) lines.push(`warning    ${w.message}`);
  const n = c.classification.counts;
  const counted = c.result ? `mounted ${n.mounted}, profiled ${n.profiled}, drift ${n.drift}` : `mounted ${n.mounted}, drift ${n.drift}, unclassified ${n.unclassified}`;
  const folded = c.classification.folded.length;
  lines.push(`changes    ${counted}${folded > 0 ? ` (${folded} parent director${folded === 1 ? 'y' : 'ies'} folded)` : ''}`);
  if (c.groups && c.groups.length > 0) {
    lines.push('', ...columns([['DIRECTORY', 'ADDED', 'CHANGED', 'DELETED', 'DRIFT'], ...c.groups.map((g) => [displayPath(g.dir), String(g.added), String(g.modified), String(g.deleted), String(g.drift)])]));
  }
  const drift = driftLines(c);
  if (drift.length > 0) lines.push('', ...columns([['RULE', 'KIND', 'PATH'], ...drift.map((d) => [d.rule ?? '', KIND_WORD[d.kind], displayPath(d.path)])]));
  return lines;
}

export function renderDriftTable(r: DriftReport): string {
  if (r.containers.length === 0) return 'no container checked\n';
  const blocks = r.containers.map((c) => containerTable(c).join('\n'));
  const withDrift = r.containers.filter((c) => driftCount(c) > 0);
  const total = withDrift.reduce((s, c) => s + driftCount(c), 0);
  const summary = hasDrift(r)
    ? `drift: ${total} change${total === 1 ? '' : 's'} in ${withDrift.length} of ${r.containers.length} container${r.containers.length === 1 ? '' : 's'}`
    : `no drift in ${r.containers.length} container${r.containers.length === 1 ? '' : 's'}`;
  return `${blocks.join('\n\n')}\n\n${summary}\n`;
}

/** The JSON document: keys in a fixed order, every list sorted, so the same containers give the same bytes. */
export function driftJson(r: DriftReport, toolVersion: string): object {
  const withDrift = r.containers.filter((c) => driftCount(c) > 0);
  return {
    tool: { name: 'ro-profile', version: toolVersion },
    drift: hasDrift(r),
    summary: { containers: r.containers.length, withDrift: withDrift.length, driftChanges: withDrift.reduce((s, c) => s + driftCount(c), 0) },
    notes: [...r.notes],
    containers: r.containers.map(containerJson),
  };
}

function containerJson(c: ContainerDrift): object {
  const k = c.container;
  const n = c.classification.counts;
  return {
    container: { id: k.id, name: k.name, image: k.image, imageId: k.imageId, running: k.running },
    ...(c.result ? { result: { file: c.result.file, imageRef: c.result.imageRef, imageId: c.result.imageId, matchedBy: c.result.matchedBy } } : {}),
    ...(c.image ? { image: { ref: c.image.ref, id: c.image.id, user: c.image.user, volumes: [...c.image.volumes] } } : {}),
    warnings: c.warnings.map((w) => ({ kind: w.kind, message: w.message })),
    counts: { mounted: n.mounted, profiled: n.profiled, drift: n.drift, unclassified: n.unclassified, folded: c.classification.folded.length },
    drift: driftLines(c).map((d) => ({ rule: d.rule, kind: d.kind, path: d.path })),
    changes: c.classification.changes.map((x) => ({ path: x.path, kind: x.kind, class: x.class, ...(x.rule ? { rule: x.rule } : {}) })),
    folded: [...c.classification.folded],
    ...(c.groups ? { groups: c.groups.map((g) => ({ dir: g.dir, added: g.added, modified: g.modified, deleted: g.deleted, drift: g.drift, paths: [...g.paths] })) } : {}),
  };
}

export function renderDriftJson(r: DriftReport, toolVersion: string): string {
  return `${JSON.stringify(driftJson(r, toolVersion), null, 2)}\n`;
}
