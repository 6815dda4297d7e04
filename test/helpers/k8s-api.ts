import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1';
import { Pod, type IPod } from 'kubernetes-models/v1';
import YAML from 'yaml';
import { loadYamlWithPython, onlyDoc } from './pyyaml.js';

/**
 * Kubernetes' own word on an emitted manifest, without a cluster. Three layers:
 *
 * - the OpenAPI schemas of Kubernetes as kubernetes-models compiles them (`new Pod(obj).validate()`):
 *   types, required fields, enums, quantity formats;
 * - the field names those models declare (their .d.ts files): the compiled schemas allow unknown
 *   fields, which the API server drops (or, with strict field validation, refuses) — a misspelt
 *   `readOnlyRootFileSystem` would silently harden nothing;
 * - the checks the API server makes in Go that no schema states (pkg/apis/core/validation):
 *   DNS-1123 names, unique volume and container names, every volumeMount naming a volume, unique
 *   mount paths, a selector that matches the template.
 */

const require = createRequire(import.meta.url);
const MODELS_ROOT = dirname(require.resolve('kubernetes-models'));
const requireFromModels = createRequire(join(MODELS_ROOT, 'index.js'));

export type K8sKindName = 'Pod' | 'Deployment';

/** kubernetes-models' validate(): the schema errors as one message per line, or [] when valid. */
export function schemaErrors(doc: unknown): string[] {
  const kind = (doc as { kind?: unknown } | null)?.kind;
  try {
    if (kind === 'Pod') new Pod(doc as IPod).validate();
    else if (kind === 'Deployment') new Deployment(doc as IDeployment).validate();
    else return [`not a Pod or Deployment: kind ${JSON.stringify(kind)}`];
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}

// ---------------------------------------------------------------------------------------------
// Field names, from the models' TypeScript declarations.

interface Shape {
  /** Property name → the declaration file of its object type ('' for a scalar, a map or a list of scalars). */
  readonly props: ReadonlyMap<string, { readonly file: string; readonly list: boolean }>;
}

const shapes = new Map<string, Shape | undefined>();

/** The declared properties of the interface in a .d.ts file, or undefined for a type alias (Quantity, IntOrString). */
function shapeOf(file: string): Shape | undefined {
  if (shapes.has(file)) return shapes.get(file);
  const text = readFileSync(file, 'utf8');
  const imports = new Map<string, string>();
  for (const m of text.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) imports.set(m[1]!, m[2]!);
  const start = text.search(/^export interface I\w+( extends \w+)? \{$/m);
  let shape: Shape | undefined;
  if (start >= 0) {
    const body = text.slice(start, text.indexOf('\n}\n', start));
    const props = new Map<string, { file: string; list: boolean }>();
    for (const m of body.matchAll(/^ {4}"([^"]+)"\??: (.*)$/gm)) {
      const type = m[2]!.replace(/;$/, '');
      const ref = /^(Array<)?(IIo\w+)>?$/.exec(type);
      const spec = ref ? imports.get(ref[2]!) : undefined;
      props.set(m[1]!, { file: spec ? declarationFile(file, spec) : '', list: ref?.[1] !== undefined });
    }
    shape = { props };
  }
  shapes.set(file, shape);
  return shape;
}

function declarationFile(from: string, spec: string): string {
  if (spec.startsWith('.')) return join(dirname(from), `${spec}.d.ts`);
  const parts = spec.split('/');
  const pkg = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  const rest = parts.slice(pkg.split('/').length).join('/');
  return join(dirname(requireFromModels.resolve(pkg)), `${rest}.d.ts`);
}

/** Paths of the fields in `doc` that the Kubernetes API does not have (the kind decides the root type). */
export function unknownFields(doc: unknown): string[] {
  const kind = (doc as { kind?: unknown } | null)?.kind;
  const root = kind === 'Pod' ? join(MODELS_ROOT, 'v1', 'Pod.d.ts') : kind === 'Deployment' ? join(MODELS_ROOT, 'apps', 'v1', 'Deployment.d.ts') : undefined;
  if (!root) return [`kind ${JSON.stringify(kind)}`];
  const out: string[] = [];
  const walk = (value: unknown, file: string, path: string): void => {
    const shape = shapeOf(file);
    if (!shape || value === null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const prop = shape.props.get(key);
      if (!prop) {
        out.push(`${path}.${key}`);
        continue;
      }
      if (!prop.file) continue;
      if (prop.list && Array.isArray(child)) child.forEach((c, i) => walk(c, prop.file, `${path}.${key}[${i}]`));
      else walk(child, prop.file, `${path}.${key}`);
    }
  };
  walk(doc, root, '');
  return out;
}

// ---------------------------------------------------------------------------------------------
// What the API server checks in code (pkg/apis/core/validation, apimachinery's validation).

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** IsEnvVarName before 1.32's relaxed validation: what every supported cluster accepts. */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** A resource.Quantity in the forms anyone writes (the emitter writes whole Mi). */
const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|[mkMGTPE])?$/;

export const isDnsLabel = (s: string): boolean => s.length <= 63 && DNS1123_LABEL.test(s);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

/**
 * The API server's checks beyond the schema, for a complete Pod or Deployment (`patch`: for a
 * strategic-merge patch, where the containers' images and the selector live in the manifest it
 * patches).
 */
export function apiServerProblems(doc: unknown, o: { readonly patch?: boolean } = {}): string[] {
  const out: string[] = [];
  if (!isObj(doc)) return ['not an object'];
  const meta = isObj(doc['metadata']) ? doc['metadata'] : {};
  const name = meta['name'];
  if (typeof name !== 'string' || name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) out.push(`metadata.name ${JSON.stringify(name)} is not a DNS-1123 subdomain`);
  labelProblems(meta['labels'], 'metadata.labels', out);
  let podSpec: unknown;
  let at: string;
  if (doc['kind'] === 'Deployment') {
    const spec = isObj(doc['spec']) ? doc['spec'] : {};
    const template = isObj(spec['template']) ? spec['template'] : {};
    const tmeta = isObj(template['metadata']) ? template['metadata'] : {};
    labelProblems(tmeta['labels'], 'spec.template.metadata.labels', out);
    if (!o.patch) {
      const selector = isObj(spec['selector']) && isObj(spec['selector']['matchLabels']) ? spec['selector']['matchLabels'] : {};
      const labels = isObj(tmeta['labels']) ? tmeta['labels'] : {};
      if (Object.keys(selector).length === 0) out.push('spec.selector: empty');
      for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) out.push(`spec.selector ${k}=${String(v)} does not match the template's labels`);
    }
    podSpec = template['spec'];
    at = 'spec.template.spec';
  } else {
    podSpec = doc['spec'];
    at = 'spec';
  }
  if (!isObj(podSpec)) return [...out, `${at}: missing`];
  const volumes = list(podSpec['volumes']);
  const volumeNames = new Set<string>();
  volumes.forEach((v, i) => {
    const n = v['name'];
    if (typeof n !== 'string' || !isDnsLabel(n)) out.push(`${at}.volumes[${i}].name ${JSON.stringify(n)} is not a DNS-1123 label`);
    else if (volumeNames.has(n)) out.push(`${at}.volumes[${i}].name ${n}: Duplicate value`);
    volumeNames.add(String(n));
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length !== 1) out.push(`${at}.volumes[${i}]: must have exactly one source, has ${sources.join(', ') || 'none'}`);
    const emptyDir = v['emptyDir'];
    if (isObj(emptyDir)) {
      const size = emptyDir['sizeLimit'];
      if (size !== undefined && (typeof size !== 'string' || !QUANTITY.test(size))) out.push(`${at}.volumes[${i}].emptyDir.sizeLimit ${JSON.stringify(size)}`);
      const medium = emptyDir['medium'];
      if (medium !== undefined && medium !== '' && medium !== 'Memory') out.push(`${at}.volumes[${i}].emptyDir.medium ${JSON.stringify(medium)}`);
    }
    const pvc = v['persistentVolumeClaim'];
    if (isObj(pvc)) {
      const claim = pvc['claimName'];
      if (typeof claim !== 'string' || claim.length > 253 || !DNS1123_SUBDOMAIN.test(claim)) out.push(`${at}.volumes[${i}].persistentVolumeClaim.claimName ${JSON.stringify(claim)}`);
    }
  });
  const containerNames = new Set<string>();
  const containers = list(podSpec['containers']);
  if (containers.length === 0) out.push(`${at}.containers: Required value`);
  for (const field of ['initContainers', 'containers'] as const) {
    list(podSpec[field]).forEach((c, i) => {
      const p = `${at}.${field}[${i}]`;
      const n = c['name'];
      if (typeof n !== 'string' || !isDnsLabel(n)) out.push(`${p}.name ${JSON.stringify(n)} is not a DNS-1123 label`);
      else if (containerNames.has(n)) out.push(`${p}.name ${n}: Duplicate value`);
      containerNames.add(String(n));
      if (!o.patch && (typeof c['image'] !== 'string' || c['image'] === '')) out.push(`${p}.image: Required value`);
      const paths = new Set<string>();
      list(c['volumeMounts']).forEach((m, j) => {
        const mp = m['mountPath'];
        if (typeof mp !== 'string' || mp === '') out.push(`${p}.volumeMounts[${j}].mountPath: Required value`);
        else if (paths.has(mp)) out.push(`${p}.volumeMounts[${j}].mountPath ${JSON.stringify(mp)}: must be unique`);
        paths.add(String(mp));
        if (!volumeNames.has(String(m['name']))) out.push(`${p}.volumeMounts[${j}].name ${JSON.stringify(m['name'])}: Not found`);
      });
      const envNames = new Set<string>();
      list(c['env']).forEach((e, j) => {
        const en = e['name'];
        if (typeof en !== 'string' || !ENV_NAME.test(en)) out.push(`${p}.env[${j}].name ${JSON.stringify(en)}`);
        else if (envNames.has(en)) out.push(`${p}.env[${j}].name ${en}: repeated (server-side apply refuses it)`);
        envNames.add(String(en));
      });
      const ports = new Set<number>();
      list(c['ports']).forEach((port, j) => {
        const cp = port['containerPort'];
        if (typeof cp !== 'number' || !Number.isInteger(cp) || cp < 1 || cp > 65535) out.push(`${p}.ports[${j}].containerPort ${JSON.stringify(cp)}`);
        else if (ports.has(cp)) out.push(`${p}.ports[${j}].containerPort ${cp}: Duplicate value`);
        ports.add(Number(cp));
      });
    });
  }
  const sc = podSpec['securityContext'];
  if (isObj(sc) && sc['fsGroup'] !== undefined) {
    const g = sc['fsGroup'];
    if (typeof g !== 'number' || !Number.isInteger(g) || g < 0 || g > 2 ** 31 - 1) out.push(`${at}.securityContext.fsGroup ${JSON.stringify(g)}`);
  }
  return out;
}

function labelProblems(labels: unknown, at: string, out: string[]): void {
  if (labels === undefined) return;
  if (!isObj(labels)) {
    out.push(`${at}: not a map`);
    return;
  }
  for (const [k, v] of Object.entries(labels)) {
    if (!/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(k)) out.push(`${at} key ${JSON.stringify(k)}`);
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) out.push(`${at}.${k} value ${JSON.stringify(v)}`);
  }
}

/** Every problem Kubernetes would have with a manifest: schema, unknown fields, API server checks. */
export function k8sProblems(doc: unknown, o: { readonly patch?: boolean } = {}): string[] {
  return [...(o.patch ? [] : schemaErrors(doc)), ...unknownFields(doc).map((f) => `unknown field ${f}`), ...apiServerProblems(doc, o)];
}

// ---------------------------------------------------------------------------------------------
// Reading YAML back, twice.

export interface ReadBack {
  readonly label: string;
  readonly text: string;
  readonly doc: unknown;
}

/**
 * Reads each text with the `yaml` package (as YAML 1.2 and as 1.1) and with PyYAML (YAML 1.1,
 * one python process for all): the three must agree, and a text must hold one document.
 * Returns the document, or throws naming the text.
 */
export function readBackAll(emitted: readonly { readonly label: string; readonly text: string }[]): ReadBack[] {
  const py = loadYamlWithPython(emitted.map((e) => e.text));
  return emitted.map(({ label, text }, i) => {
    const fromPy = onlyDoc(py[i]!, text);
    for (const version of ['1.2', '1.1'] as const) {
      const docs = YAML.parseAllDocuments(text, { version });
      if (docs.length !== 1 || docs[0]!.errors.length > 0) throw new Error(`${label}: the yaml package (YAML ${version}) read ${docs.length} documents or errors:\n${text}\n${docs.flatMap((d) => d.errors.map((e) => e.message)).join('\n')}`);
      const fromJs = docs[0]!.toJS();
      if (JSON.stringify(fromJs) !== JSON.stringify(fromPy)) {
        throw new Error(`${label}: PyYAML and the yaml package (YAML ${version}) disagree:\n${text}\nPyYAML: ${JSON.stringify(fromPy)}\nyaml:   ${JSON.stringify(fromJs)}`);
      }
    }
    return { label, text, doc: fromPy };
  });
}
