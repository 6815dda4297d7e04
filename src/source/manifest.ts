import { LineCounter, isNode, parseAllDocuments } from 'yaml';
import { RoProfileError } from '../errors.js';

/** The kinds whose pod template ro-profile can profile and patch, with where that template sits. */
export const WORKLOAD_PATHS = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'],
} as const satisfies Record<string, readonly string[]>;
export type WorkloadKind = keyof typeof WORKLOAD_PATHS;

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** One workload document of the manifest, as the user wrote it. */
export interface Workload {
  readonly kind: WorkloadKind;
  readonly apiVersion: string;
  readonly name: string;
  readonly namespace?: string;
  /** The keys from the document root to its pod spec. */
  readonly podSpecPath: readonly string[];
  /** The whole document, as plain data (the strategic-merge and JSON patches apply to it). */
  readonly doc: Obj;
  readonly podSpec: Obj;
  /** Where it starts: file:line. */
  readonly at: string;
}

/** The container picked for profiling, in its workload. */
export interface PickedContainer {
  readonly workload: Workload;
  /** Its index in the pod spec's containers. */
  readonly index: number;
  readonly container: Obj;
}

const HINT = 'Give a manifest as kubectl or helm template writes it: YAML documents separated by ---.';

/**
 * The workloads of a manifest: every YAML document (`---`) whose kind has a pod template, in
 * order. Other documents (Service, ConfigMap, ServiceAccount, what `helm template` adds) are
 * skipped; unparseable YAML is a usage error naming file:line:column.
 */
export function parseManifest(text: string, file: string): Workload[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const p = lines.linePos(offset);
    return `${file}:${p.line}:${p.col}`;
  };
  if (!Array.isArray(docs)) throw new RoProfileError('USAGE', `${at(0)}: not a YAML stream`, { hint: HINT });
  const out: Workload[] = [];
  for (const d of docs) {
    const e = d.errors[0];
    if (e) throw new RoProfileError('USAGE', `${at(e.pos[0])}: not valid YAML: ${e.message.split('\n')[0]}`, { hint: HINT });
    const data: unknown = d.toJS({ maxAliasCount: 100 });
    if (!isObj(data) || typeof data.kind !== 'string' || !(data.kind in WORKLOAD_PATHS)) continue;
    const kind = data.kind as WorkloadKind;
    // Its kind's line: a stream's document starts at the `---` or the comment before it.
    const kindNode = d.get('kind', true);
    const where = at(isNode(kindNode) && kindNode.range ? kindNode.range[0] : d.range[0]);
    const meta = isObj(data.metadata) ? data.metadata : {};
    if (typeof meta.name !== 'string' || meta.name === '') throw new RoProfileError('USAGE', `${where}: a ${kind} without metadata.name`, { hint: 'Name the workload; the patches target it by name.' });
    const podSpecPath = WORKLOAD_PATHS[kind];
    const podSpec = getIn(data, podSpecPath);
    if (!isObj(podSpec) || !Array.isArray(podSpec.containers) || podSpec.containers.length === 0 || !podSpec.containers.every(isObj)) {
      throw new RoProfileError('USAGE', `${where}: ${kind} "${meta.name}" has no containers under ${podSpecPath.join('.')}.containers`, { hint: HINT });
    }
    out.push({
      kind,
      apiVersion: typeof data.apiVersion === 'string' ? data.apiVersion : kind === 'Pod' ? 'v1' : 'apps/v1',
      name: meta.name,
      ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
      podSpecPath,
      doc: data,
      podSpec,
      at: where,
    });
  }
  return out;
}

export function getIn(v: unknown, path: readonly (string | number)[]): unknown {
  let cur = v;
  for (const k of path) cur = isObj(cur) || Array.isArray(cur) ? (cur as Record<string | number, unknown>)[k] : undefined;
  return cur;
}

/** `kind/workload/container`: the form --container takes to name any container of any manifest. */
export function containerRef(w: Workload, container: string): string {
  return `${w.kind.toLowerCase()}/${w.name}/${container}`;
}

/**
 * The container --container names: `CONTAINER`, `WORKLOAD/CONTAINER` or `KIND/WORKLOAD/CONTAINER`
 * (kind in any case). Without it, the only container of the only workload. Anything that matches
 * none or more than one is a usage error listing every choice in the full form.
 */
export function selectContainer(workloads: readonly Workload[], file: string, selector?: string): PickedContainer {
  const all = workloads.flatMap((workload) =>
    (workload.podSpec.containers as Obj[]).map((container, index) => ({ workload, index, container, name: typeof container.name === 'string' ? container.name : '' })),
  );
  if (all.length === 0) {
    throw new RoProfileError('USAGE', `${file} holds no workload (${Object.keys(WORKLOAD_PATHS).join(', ')})`, { hint: 'Give the file of the workload itself, e.g. the output of "helm template".' });
  }
  const choices = () => all.map((c) => `  --container ${containerRef(c.workload, c.name)}`).join('\n');
  if (selector === undefined) {
    if (all.length === 1) return all[0]!;
    throw new RoProfileError('USAGE', `${file} has ${all.length} containers to choose from:\n${choices()}`, { hint: 'Pick one with --container.' });
  }
  const parts = selector.split('/');
  if (parts.length > 3 || parts.some((p) => p === '')) {
    throw new RoProfileError('USAGE', `"--container ${selector}" is not CONTAINER, WORKLOAD/CONTAINER or KIND/WORKLOAD/CONTAINER`, { hint: `The choices:\n${choices()}` });
  }
  const [container, workload, kind] = [...parts].reverse();
  const hits = all.filter((c) => c.name === container && (workload === undefined || c.workload.name === workload) && (kind === undefined || c.workload.kind.toLowerCase() === kind.toLowerCase()));
  if (hits.length === 1) return hits[0]!;
  throw new RoProfileError('USAGE', hits.length === 0 ? `${file} has no container "${selector}"; the choices:\n${choices()}` : `"--container ${selector}" names ${hits.length} containers in ${file}; the choices:\n${choices()}`, {
    hint: 'Name it as listed.',
  });
}
