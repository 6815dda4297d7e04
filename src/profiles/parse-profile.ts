import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { RoProfileError } from '../errors.js';
import type { ExerciseProfile, ExerciseStep, ProfileEnv, WriteHint } from '../model/exercise-profile.js';

/** The JSON Schema of a profile; at ../../docs from both src/profiles and dist/profiles. */
export const PROFILE_SCHEMA_URL = new URL('../../docs/profile.schema.json', import.meta.url);

const HINT = 'See docs/profiles.md for the format (docs/profile.schema.json is its schema).';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(PROFILE_SCHEMA_URL, 'utf8')) as object;
  // Loaded on first use, as for results: ajv costs ~30 ms to load.
  const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  compiled = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(schema);
  return compiled;
}

/** A parsed YAML document (the yaml package's reader; emit/yaml.ts is the one writer). */
type YamlDoc = ReturnType<typeof parseDocument>;

/** A profile as read: what it says, and the bytes' hash the result records. */
export interface ParsedProfile {
  readonly profile: ExerciseProfile;
  readonly sha256: string;
  readonly text: string;
}

/**
 * Reads a profile's YAML, validated against docs/profile.schema.json: a bad file is a usage
 * error (exit 2) that names each problem by file:line:column and says what is allowed there.
 */
export function parseProfile(text: string, file: string, o: ParseOptions = {}): ParsedProfile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const p = lines.linePos(offset);
    return `${file}:${p.line}:${p.col}`;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new RoProfileError('USAGE', `${at(e.pos[0])}: not valid YAML: ${e.message.split('\n')[0]}`, { hint: HINT });
  }
  const data: unknown = doc.toJS();
  const validate = o.trusted ? undefined : validator();
  if (validate && !validate(data)) {
    const problems = relevant(validate.errors ?? []).map((e) => `${at(offsetOf(doc, e))}: ${describe(e)}`);
    throw new RoProfileError('USAGE', `${file} is not a valid exercise profile:\n${problems.slice(0, 5).join('\n')}${problems.length > 5 ? `\n(and ${problems.length - 5} more)` : ''}`, { hint: HINT });
  }
  const profile = fromYaml(data as YamlProfile);
  for (const pattern of profile.ready.log ? [profile.ready.log] : []) checkRegex(pattern, doc, ['ready', 'log'], at);
  profile.exercise.forEach((s, i) => {
    if (s.kind === 'tcp') checkRegex(s.expect, doc, ['exercise', i, 'tcp', 'expect'], at);
  });
  return { profile, sha256: createHash('sha256').update(text).digest('hex'), text };
}

/**
 * `trusted`: a built-in the run picked, which the unit tests validate against the schema, is
 * not validated again: compiling the schema costs a run ~150 ms. Every other file is.
 */
export interface ParseOptions {
  readonly trusted?: boolean;
}

/** Reads and parses a profile file; one that cannot be read is a usage error too. */
export function readProfileFile(file: string, o: ParseOptions = {}): ParsedProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RoProfileError('USAGE', `cannot read the profile ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      hint: 'Give --profile a YAML file, or the name of a built-in (ro-profile profiles lists them).',
    });
  }
  return parseProfile(text, file, o);
}

function checkRegex(pattern: string, doc: YamlDoc, path: (string | number)[], at: (o: number) => string): void {
  try {
    new RegExp(pattern);
  } catch (e) {
    const node = doc.getIn(path, true);
    throw new RoProfileError('USAGE', `${at(isNode(node) ? (node.range?.[0] ?? 0) : 0)}: not a regular expression: ${(e as Error).message}`, { hint: HINT });
  }
}

/** Where in the YAML the error points: the offending key for an unknown one, else the value. */
function offsetOf(doc: YamlDoc, e: ErrorObject): number {
  const path = e.instancePath.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')).map((t) => (/^\d+$/.test(t) ? Number(t) : t));
  const extra = e.keyword === 'additionalProperties' ? String((e.params as { additionalProperty: string }).additionalProperty) : undefined;
  for (let n = path.length; n >= 0; n--) {
    const parent = doc.getIn(path.slice(0, n), true);
    if (!isNode(parent)) continue;
    if (extra !== undefined && n === path.length) {
      const map = parent as unknown as { items?: { key: { value?: unknown; range?: [number, number, number] } }[] };
      const key = map.items?.find((p) => p.key?.value === extra)?.key;
      if (key?.range) return key.range[0];
    }
    return parent.range?.[0] ?? 0;
  }
  return 0;
}

/** Ajv reports a failed `type` of a union next to the branch errors: keep the most specific. */
function relevant(errors: readonly ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describe(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'the top level' : e.instancePath.slice(1).replace(/\//g, '.');
  const params = e.params as Record<string, unknown>;
  const allowed = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  switch (e.keyword) {
    case 'additionalProperties':
      return `"${String(params['additionalProperty'])}" is not allowed in ${where}${allowed ? `; allowed: ${Object.keys(allowed).join(', ')}` : ''}`;
    case 'required':
      return `${where} needs "${String(params['missingProperty'])}"`;
    case 'enum':
      return `${where} must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'minProperties':
    case 'maxProperties':
      return `${where} must hold exactly one of ${allowed ? Object.keys(allowed).join(', ') : 'its keys'}`;
    case 'const':
      return `${where} must be ${JSON.stringify(params['allowedValue'])}`;
    case 'pattern':
      return `${where} must match ${String(params['pattern'])}`;
    case 'type':
      return `${where} must be ${Array.isArray(params['type']) ? (params['type'] as string[]).join(' or ') : String(params['type'])}`;
    default:
      return `${where} ${e.message ?? 'is not allowed'}`;
  }
}

/** The YAML form, as the schema allows it. */
interface YamlProfile {
  name: string;
  description: string;
  match: string[];
  notes?: string;
  run?: { env?: Record<string, string | { generate: 'password' | 'token' }>; command?: string[]; user?: string };
  ready?: { port?: number; http?: { port: number; path?: string; status?: number }; log?: string; timeout?: string };
  exercise: ({ http: { port: number; method?: string; path?: string; body?: number; upload?: { field?: string; filename?: string }; headers?: Record<string, string>; status?: number } } | { tcp: { port: number; send: string; expect: string } } | { exec: string | { command: string; exit?: number } } | { wait: string } | { restart: true })[];
  writes?: WriteHint[];
}

function fromYaml(y: YamlProfile): ExerciseProfile {
  const env: ProfileEnv[] = Object.entries(y.run?.env ?? {}).map(([name, v]) => (typeof v === 'string' ? { name, value: v } : { name, generate: v.generate }));
  const steps: ExerciseStep[] = y.exercise.map((s): ExerciseStep => {
    if ('http' in s) {
      const h = s.http;
      return {
        kind: 'http',
        port: h.port,
        method: h.method ?? (h.body || h.upload ? 'POST' : 'GET'),
        path: h.path ?? '/',
        bodyBytes: h.body ?? 0,
        headers: h.headers ?? {},
        expectStatus: h.status ?? 200,
        ...(h.upload ? { upload: { field: h.upload.field ?? 'file', filename: h.upload.filename ?? 'ro-profile.bin' } } : {}),
      };
    }
    if ('tcp' in s) return { kind: 'tcp', port: s.tcp.port, send: s.tcp.send, expect: s.tcp.expect };
    if ('exec' in s) return typeof s.exec === 'string' ? { kind: 'exec', command: s.exec, expectExit: 0 } : { kind: 'exec', command: s.exec.command, expectExit: s.exec.exit ?? 0 };
    if ('wait' in s) return { kind: 'wait', ms: durationMs(s.wait) };
    return { kind: 'restart' };
  });
  const r = y.ready ?? {};
  return {
    name: y.name,
    description: y.description,
    match: y.match,
    ...(y.notes !== undefined ? { notes: y.notes.trim() } : {}),
    run: { env, ...(y.run?.command ? { command: y.run.command } : {}), ...(y.run?.user !== undefined ? { user: y.run.user } : {}) },
    ready: {
      ...(r.port !== undefined ? { ports: [r.port] } : {}),
      ...(r.http ? { http: { port: r.http.port, path: r.http.path ?? '/', status: r.http.status ?? 200 } } : {}),
      ...(r.log !== undefined ? { log: r.log } : {}),
      ...(r.timeout !== undefined ? { timeoutMs: durationMs(r.timeout) } : {}),
    },
    exercise: steps,
    writes: y.writes ?? [],
  };
}

/** A duration the schema has already checked the form of (30s, 500ms, 2m). */
function durationMs(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(s)!;
  return Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h']);
}
