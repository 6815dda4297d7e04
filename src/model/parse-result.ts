import { RoProfileError } from '../errors.js';
import { SCHEMA_VERSION, type Result } from './result.js';

/** Reads a saved result back, checking the parts emit relies on; a bad file is a usage error (exit 2). */
export function parseResult(text: string, source: string): Result {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new RoProfileError('RESULT_INVALID', `${source} is not JSON: ${(e as Error).message}`, { hint: 'Give a file written by "ro-profile IMAGE --format json".' });
  }
  const r = data as Partial<Result> | null;
  const problems: string[] = [];
  if (typeof r !== 'object' || r === null) problems.push('not an object');
  else {
    if (r.schemaVersion !== SCHEMA_VERSION) problems.push(`schemaVersion is ${JSON.stringify(r.schemaVersion)}, expected ${SCHEMA_VERSION}`);
    if (typeof r.run?.image !== 'string') problems.push('run.image is missing');
    if (!Array.isArray(r.plan?.mounts)) problems.push('plan.mounts is missing');
    if (!Array.isArray(r.findings)) problems.push('findings is missing');
    if (typeof r.image?.id !== 'string') problems.push('image.id is missing');
    if (!Array.isArray(r.volumes)) problems.push('volumes is missing');
    if (!Array.isArray(r.run?.env)) problems.push('run.env is missing');
  }
  if (problems.length > 0) {
    throw new RoProfileError('RESULT_INVALID', `${source} is not an ro-profile result: ${problems.join('; ')}`, {
      hint: 'Give a file written by "ro-profile IMAGE --format json".',
    });
  }
  return r as Result;
}
