/**
 * A small strategic merge patch, as `kubectl patch --type strategic` and Kustomize's patches
 * apply one to a Deployment, for the fields a ro-profile patch touches: maps merge key by key
 * (a null deletes the key), lists of objects with a patch merge key merge item by item (an item
 * with the same key merges into the original one, a new one is appended), and every other list or
 * scalar is replaced. Written from the merge keys the Kubernetes API declares
 * (`+patchMergeKey` in k8s.io/api/core/v1/types.go); `$patch` directives are not supported, and a
 * patch that uses one is refused rather than misapplied.
 */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  ports: 'containerPort',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

export function strategicMerge(original: unknown, patch: unknown, field = ''): unknown {
  if (isObj(patch)) {
    const directive = Object.keys(patch).find((k) => k.startsWith('$'));
    if (directive) throw new Error(`strategicMerge: the directive ${directive} is not supported`);
    if (!isObj(original)) return clone(patch);
    const out: Obj = { ...original };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = strategicMerge(original[k], v, k);
    }
    return out;
  }
  const key = MERGE_KEYS[field];
  if (Array.isArray(patch) && Array.isArray(original) && key !== undefined && patch.every(isObj)) {
    const out: unknown[] = original.map(clone);
    for (const item of patch as Obj[]) {
      if (item[key] === undefined) throw new Error(`strategicMerge: an item of ${field} has no ${key}`);
      const at = out.findIndex((o) => isObj(o) && o[key] === item[key]);
      if (at >= 0) out[at] = strategicMerge(out[at], item, '');
      else out.push(clone(item));
    }
    return out;
  }
  return clone(patch);
}

/**
 * Where `merged` lost or changed something `original` had, compared as the merge compares: maps
 * key by key, merge-keyed lists item by item (order aside), other lists and scalars whole.
 * `[]` when every field of the original is still there with its value.
 */
export function lostFields(original: unknown, merged: unknown, path = '', field = ''): string[] {
  if (isObj(original)) {
    if (!isObj(merged)) return [`${path}: no longer a map`];
    return Object.entries(original).flatMap(([k, v]) => (k in merged ? lostFields(v, merged[k], `${path}.${k}`, k) : [`${path}.${k}: gone`]));
  }
  const key = MERGE_KEYS[field];
  if (Array.isArray(original) && key !== undefined && original.every(isObj)) {
    if (!Array.isArray(merged)) return [`${path}: no longer a list`];
    return (original as Obj[]).flatMap((item) => {
      const match = merged.find((m) => isObj(m) && m[key] === item[key]);
      const at = `${path}[${key}=${JSON.stringify(item[key])}]`;
      return match === undefined ? [`${at}: gone`] : lostFields(item, match, at, '');
    });
  }
  return JSON.stringify(original) === JSON.stringify(merged) ? [] : [`${path}: ${JSON.stringify(original)} became ${JSON.stringify(merged)}`];
}
