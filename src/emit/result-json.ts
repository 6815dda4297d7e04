import type { Result } from '../model/result.js';

/** The result as saved and printed: stable key order comes from how the Result is built. */
export function emitResultJson(result: Result): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
