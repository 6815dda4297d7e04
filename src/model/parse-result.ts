import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { RoProfileError } from '../errors.js';
import { SCHEMA_VERSION, type Result } from './result.js';

/** The JSON Schema of a result; at ../../docs from both src/model and dist/model. */
export const RESULT_SCHEMA_URL = new URL('../../docs/result.schema.json', import.meta.url);

/** Schema errors named in the message; the rest are counted. */
export const MAX_PROBLEMS = 5;

const HINT = 'Give a file written by "ro-profile IMAGE --format json".';

let compiled: ValidateFunction<Result> | undefined;

/** The schema's validator, compiled once, on first use. */
function validator(): ValidateFunction<Result> {
  if (compiled) return compiled;
  let schema: object;
  try {
    schema = JSON.parse(readFileSync(RESULT_SCHEMA_URL, 'utf8')) as object;
  } catch (e) {
    throw new RoProfileError('INTERNAL', `cannot read the result schema ${RESULT_SCHEMA_URL.pathname}: ${(e as Error).message}`, {
      hint: 'Reinstall ro-profile: its docs/ directory is part of the package.',
      cause: e,
    });
  }
  // Loaded on first use: every command imports this module, only emit reads results (ajv costs ~30 ms to load).
  const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  compiled = new Ajv2020({ allErrors: true, strict: true, verbose: true }).compile<Result>(schema);
  return compiled;
}

/**
 * Reads a saved result back, validated against docs/result.schema.json; a bad file is a
 * usage error (exit 2) naming the first few problems by JSON pointer.
 */
export function parseResult(text: string, source: string): Result {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new RoProfileError('RESULT_INVALID', `${source} is not JSON: ${(e as Error).message}`, { hint: HINT });
  }
  const problems = resultProblems(data);
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS).join('; ');
    const more = problems.length > MAX_PROBLEMS ? ` (and ${problems.length - MAX_PROBLEMS} more)` : '';
    throw new RoProfileError('RESULT_INVALID', `${source} is not an ro-profile result: ${shown}${more}`, { hint: HINT });
  }
  return data as Result;
}

/**
 * What is wrong with a parsed result, one line per schema error, in the schema's order.
 * A result of another schema version is judged on its version alone: the rest of it follows
 * another schema.
 */
export function resultProblems(data: unknown): string[] {
  if (isObject(data) && 'schemaVersion' in data && data['schemaVersion'] !== SCHEMA_VERSION) {
    return [`/schemaVersion is ${shortJson(data['schemaVersion'])}, expected ${SCHEMA_VERSION}`];
  }
  const validate = validator();
  if (validate(data)) return [];
  // An if/then/else error only repeats the errors of the branch taken.
  return (validate.errors ?? []).filter((e) => e.keyword !== 'if').map(describe);
}

function describe(e: ErrorObject): string {
  const at = e.instancePath === '' ? 'the top level' : e.instancePath;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${e.instancePath}/${pointerToken(String(params['missingProperty']))} is missing`;
    case 'additionalProperties':
      return `${e.instancePath}/${pointerToken(String(params['additionalProperty']))} is not allowed`;
    case 'false schema':
      return `${at} is not allowed here`;
    case 'const':
      return `${at} is ${shortJson(e.data)}, expected ${JSON.stringify(params['allowedValue'])}`;
    case 'enum':
      return `${at} is ${shortJson(e.data)}, expected one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${at} is ${typeName(e.data)}, expected ${String(params['type'])}`;
    default:
      return `${at} ${e.message ?? `fails ${e.keyword}`}`;
  }
}

/** RFC 6901: "~" and "/" inside a key are escaped. */
function pointerToken(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** A value of a closed set, cut short: what was found instead of "tmpfs" or 1. */
function shortJson(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (Number.isInteger(v)) return `the integer ${String(v)}`;
  if (typeof v === 'number') return `the number ${String(v)}`;
  // A string's content is not repeated: it could be anything, a secret pasted by hand included.
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
