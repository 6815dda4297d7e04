import { RoProfileError } from '../errors.js';
import type { Result } from '../model/result.js';
import { emitCompose, type ComposeOptions } from './compose.js';
import { emitDockerRun } from './docker-run.js';
import { emitReport } from './report.js';
import { emitResultJson } from './result-json.js';

export const FORMATS = ['run', 'compose', 'json', 'report'] as const;
export type Format = (typeof FORMATS)[number];

/** Renders one format from a result; pure, so `emit RESULT.json` gives the same bytes as a live run. */
export interface EmitOptions {
  readonly compose: ComposeOptions;
}

export const DEFAULT_EMIT: EmitOptions = { compose: { override: false } };

export function emitFormat(result: Result, format: Format, options: EmitOptions = DEFAULT_EMIT): string {
  switch (format) {
    case 'run':
      return emitDockerRun(result.run, result.plan.mounts);
    case 'compose':
      return emitCompose(result, options.compose);
    case 'json':
      return emitResultJson(result);
    case 'report':
      return emitReport(result);
    default: {
      const never: never = format;
      throw new RoProfileError('USAGE', `unknown format "${String(never)}"`);
    }
  }
}
