import { compareStrings } from '../analyze/paths.js';
import { RoProfileError } from '../errors.js';
import type { ContainerSummary, Engine } from '../runtime/engine.js';
import { LABEL_MANAGED } from '../runtime/labels.js';
import { classifyDrift, executableCandidates } from './classify-drift.js';
import type { ContainerDrift, DriftReport, DriftWarning } from './drift-model.js';
import { expectationsFromResult } from './expectations.js';
import { groupChanges } from './group-changes.js';
import { matchResult, type LoadedResult } from './match-results.js';

/**
 * The engine side of `drift`: read each container's changes (and the mode of the few files a
 * rule needs it for), then hand them to the pure classification. Creates nothing on the engine.
 */

/** Files whose mode is asked per container at most: a container rewritten wholesale is drift enough without it. */
export const MAX_MODE_CHECKS = 256;

export interface Compared {
  readonly loaded: LoadedResult;
  readonly matchedBy: 'given' | 'id' | 'reference';
}

export async function auditContainer(engine: Engine, target: ContainerSummary, compared: Compared | undefined): Promise<ContainerDrift> {
  const changes = await engine.diff(target.id);
  const expectations = compared ? expectationsFromResult(compared.loaded.result) : undefined;
  const base = { ...(expectations ? { expectations } : {}), mountPoints: target.mountPoints };
  const first = classifyDrift(changes, base);
  const candidates = executableCandidates(first);
  const asked = candidates.slice(0, MAX_MODE_CHECKS);
  const executables = await executablesOf(engine, target.id, asked);
  const classification = executables.size > 0 ? classifyDrift(changes, { ...base, executables }) : first;
  const warnings: DriftWarning[] = [];
  if (compared && compared.loaded.result.image.id !== target.imageId) {
    warnings.push({
      kind: 'image-mismatch',
      message: `the container runs image ${target.imageId}, the result profiled ${compared.loaded.result.image.id}: what this image writes may differ (profile it again)`,
    });
  }
  if (candidates.length > asked.length) {
    warnings.push({ kind: 'unchecked', message: `${candidates.length - asked.length} drift files were not checked for an executable mode (only the first ${MAX_MODE_CHECKS} are)` });
  }
  const container = { id: target.id, name: target.name, image: target.image, imageId: target.imageId, running: target.running };
  if (compared) {
    const r = compared.loaded.result;
    return { container, result: { file: compared.loaded.file, imageRef: r.image.ref, imageId: r.image.id, matchedBy: compared.matchedBy }, warnings, classification };
  }
  // By id: the reference may name another image by now.
  const facts = await engine.inspectImage(target.imageId);
  const image = { ref: target.image, id: target.imageId, user: facts?.user ?? '', volumes: [...(facts?.volumes ?? [])] };
  return { container, image, warnings, classification, groups: groupChanges(classification.changes) };
}

/** The paths among `paths` that are regular files with an x bit, asked a few at a time. */
async function executablesOf(engine: Engine, id: string, paths: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < paths.length; i += 16) {
    const batch = paths.slice(i, i + 16);
    const stats = await Promise.all(batch.map((p) => engine.statPath(id, p)));
    stats.forEach((s, j) => {
      if (s?.type === 'file' && (s.mode & 0o111) !== 0) out.add(batch[j]!);
    });
  }
  return out;
}

/** Looks each name up; every unknown one is named in one usage error. */
export async function findContainers(engine: Engine, refs: readonly string[]): Promise<ContainerSummary[]> {
  const bad = refs.filter((r) => !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(r));
  if (bad.length > 0) {
    throw new RoProfileError('USAGE', `${bad.map((b) => JSON.stringify(b)).join(', ')} ${bad.length === 1 ? 'is not a container name or id' : 'are not container names or ids'}`, { hint: 'Give a container id or name as "docker ps -a" lists it.' });
  }
  const found = await Promise.all(refs.map(async (r) => [r, await engine.findContainer(r)] as const));
  const missing = found.filter(([, c]) => c === undefined).map(([r]) => r);
  if (missing.length > 0) {
    throw new RoProfileError('USAGE', `No such container: ${missing.map((m) => JSON.stringify(m)).join(', ')}`, { hint: 'Give a container id or name as "docker ps -a" lists it (drift reads running and stopped containers).' });
  }
  // One entry per container, however many names it was given by.
  return [...new Map(found.map(([, c]) => [c!.id, c!])).values()];
}

/** Audits the given containers against one result (or none). */
export async function auditGiven(engine: Engine, targets: readonly ContainerSummary[], loaded: LoadedResult | undefined): Promise<DriftReport> {
  const containers: ContainerDrift[] = [];
  for (const t of targets) containers.push(await auditContainer(engine, t, loaded ? { loaded, matchedBy: 'given' } : undefined));
  return { containers: sortContainers(containers), notes: [] };
}

/**
 * --all: every running container whose image has a result, the tool's own (profiling and
 * verification runs, labelled managed) aside. A container gone between list and diff is skipped.
 */
export async function auditAll(engine: Engine, results: readonly LoadedResult[], notes: readonly string[]): Promise<DriftReport> {
  const running = (await engine.listContainers()).filter((c) => c.labels[LABEL_MANAGED] !== 'true');
  const out: ContainerDrift[] = [];
  const extra: string[] = [];
  for (const listed of running.sort((a, b) => compareStrings(a.name, b.name))) {
    const m = matchResult(listed, results);
    if (!m) continue;
    if (m.of > 1) extra.push(`${listed.name}: ${m.of} results match its image; compared with ${m.match.file}`);
    try {
      // Inspected again: the list does not carry --tmpfs mounts.
      const target = await engine.findContainer(listed.id);
      if (target) out.push(await auditContainer(engine, target, { loaded: m.match, matchedBy: m.by }));
      else extra.push(`${listed.name}: removed before it could be checked`);
    } catch (e) {
      if ((await engine.findContainer(listed.id)) !== undefined) throw e;
      extra.push(`${listed.name}: removed before it could be checked`);
    }
  }
  if (out.length === 0) {
    const images = [...new Set(results.map((r) => r.result.image.ref))].sort(compareStrings);
    extra.push(`no running container runs an image with a result (${running.length} running; results for ${images.join(', ')})`);
  }
  return { containers: sortContainers(out), notes: [...notes, ...extra] };
}

function sortContainers(cs: readonly ContainerDrift[]): ContainerDrift[] {
  return [...cs].sort((a, b) => compareStrings(a.container.name, b.container.name) || compareStrings(a.container.id, b.container.id));
}
