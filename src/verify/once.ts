/**
 * A disposer that runs once however often it is called: a launch registers it with the cleanup
 * scope (an interrupt during the launch) and hands it to the caller too (the normal path).
 */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
