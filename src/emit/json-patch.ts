/** One RFC 6902 operation, as Kustomize's JSON6902 patches take them. */
export interface JsonPatchOp {
  readonly op: 'add' | 'replace';
  readonly path: string;
  readonly value: unknown;
}

/**
 * The lists a strategic merge merges item by item, with their merge key (`+patchMergeKey` in
 * k8s.io/api/core/v1/types.go): only those a ro-profile patch sets.
 */
const MERGE_KEYS: Readonly<Record<string, string>> = { containers: 'name', initContainers: 'name', volumes: 'name', volumeMounts: 'mountPath' };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A JSON pointer segment: `~` is `~0` and `/` is `~1` (RFC 6901). */
export function pointerSegment(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The JSON patch that does to `original` what the strategic-merge `patch` does: maps merge key
 * by key (a missing one is added whole, so a securityContext the container lacks is created),
 * merge-keyed lists merge into the item of the same key or append with `/-`, and every other
 * value replaces. Applying both to the same document gives the same result.
 */
export function jsonPatchOf(original: unknown, patch: unknown, path = '', field = ''): JsonPatchOp[] {
  if (isObj(patch) && isObj(original)) {
    return Object.entries(patch).flatMap(([k, v]) => (k in original ? jsonPatchOf(original[k], v, `${path}/${pointerSegment(k)}`, k) : [{ op: 'add' as const, path: `${path}/${pointerSegment(k)}`, value: v }]));
  }
  const key = MERGE_KEYS[field];
  if (key !== undefined && Array.isArray(patch) && Array.isArray(original)) {
    return patch.flatMap((item: unknown) => {
      const at = isObj(item) ? original.findIndex((o) => isObj(o) && o[key] === item[key]) : -1;
      // The merge key matched: it needs no operation of its own.
      return at >= 0 ? jsonPatchOf(original[at], Object.fromEntries(Object.entries(item as Obj).filter(([k]) => k !== key)), `${path}/${at}`, '') : [{ op: 'add' as const, path: `${path}/-`, value: item }];
    });
  }
  return [{ op: original === undefined ? 'add' : 'replace', path, value: patch }];
}

/**
 * `ops` applied to a copy of `doc`: the add and replace operations jsonPatchOf writes (an object
 * member set, an array item replaced, `/-` appended). Verification runs the workload this gives;
 * the tests check it against fast-json-patch.
 */
export function applyJsonPatch<T>(doc: T, ops: readonly JsonPatchOp[]): T {
  const out = structuredClone(doc) as unknown;
  for (const o of ops) {
    const keys = o.path.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    let parent: unknown = out;
    for (const k of keys) parent = (parent as Record<string, unknown>)[k];
    if (last === undefined || parent === null || typeof parent !== 'object') throw new Error(`no place for ${o.op} ${o.path}`);
    if (Array.isArray(parent) && last === '-') parent.push(structuredClone(o.value));
    else (parent as Record<string, unknown>)[last] = structuredClone(o.value);
  }
  return out as T;
}
