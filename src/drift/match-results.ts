import type { Result } from '../model/result.js';

/** Pure: which saved result speaks for a container's image (--all). */

export interface LoadedResult {
  readonly file: string;
  readonly result: Result;
}

/**
 * A reference as Docker would resolve it: `nginx` is `nginx:latest`, `docker.io/library/nginx`
 * is `nginx`; a registry with a port (`host:5000/app`) is not a tag.
 */
export function normalizeImageRef(ref: string): string {
  let r = ref.trim();
  for (const prefix of ['docker.io/', 'index.docker.io/', 'registry-1.docker.io/']) {
    if (r.startsWith(prefix)) r = r.slice(prefix.length);
  }
  if (r.startsWith('library/') && !r.slice('library/'.length).includes('/')) r = r.slice('library/'.length);
  const last = r.slice(r.lastIndexOf('/') + 1);
  if (!last.includes(':') && !r.includes('@')) r = `${r}:latest`;
  return r;
}

/**
 * The result for a container: one of the same image id first (it is the image that was
 * profiled), then one whose reference names the container's (the tag moved on since), each
 * the first by file name; `of` says how many matched, so a caller can say which it took.
 */
export function matchResult(
  container: { readonly image: string; readonly imageId: string },
  results: readonly LoadedResult[],
): { readonly match: LoadedResult; readonly by: 'id' | 'reference'; readonly of: number } | undefined {
  const byId = results.filter((r) => r.result.image.id === container.imageId);
  if (byId[0]) return { match: byId[0], by: 'id', of: byId.length };
  // A container created by image id names no reference to match.
  if (container.image.startsWith('sha256:') || container.imageId.startsWith(`sha256:${container.image}`)) return undefined;
  const ref = normalizeImageRef(container.image);
  const byRef = results.filter((r) => normalizeImageRef(r.result.image.ref) === ref || normalizeImageRef(r.result.run.image) === ref);
  return byRef[0] ? { match: byRef[0], by: 'reference', of: byRef.length } : undefined;
}
