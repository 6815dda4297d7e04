import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { toYaml } from '../../../src/emit/yaml.js';
import { TRAP_WORDS, wordArb } from '../../helpers/emit-arbitraries.js';
import { loadYamlWithPython, onlyDoc, type PyYamlResult } from '../../helpers/pyyaml.js';

/**
 * Strings a YAML 1.1 reader (PyYAML, docker-compose 1.29) takes for something else when they
 * are written plain, or mangles when they are written raw: each must come back from PyYAML as
 * the very same string, as a value, as a list item and as a key.
 */
const TRAPS: readonly (readonly [name: string, value: string])[] = [
  ...['on', 'off', 'On', 'OFF', 'yes', 'no', 'Yes', 'NO', 'y', 'n', 'Y', 'N', 'true', 'false', 'True', 'FALSE'].map((w) => [`the boolean word ${w}`, w] as const),
  ...['null', 'Null', 'NULL', '~', ''].map((w) => [`the null word ${JSON.stringify(w)}`, w] as const),
  ['an octal-looking mode', '0755'],
  ['a YAML 1.2 octal', '0o755'],
  ['a hexadecimal number', '0x1F'],
  ['a negative hexadecimal number', '-0x1F'],
  ['a binary number', '0b1010_0111'],
  ['an exponent', '1e3'],
  ['a float with an exponent', '6.8523015e+5'],
  ['a float with underscores', '685.230_15e+03'],
  ['a sexagesimal integer', '22:22'],
  ['a sexagesimal float', '190:20:30.15'],
  ['an integer with underscores', '1_000'],
  ['a signed integer', '+12'],
  ['a leading-dot float', '.5'],
  ['infinity', '.inf'],
  ['negative infinity', '-.Inf'],
  ['not a number', '.NaN'],
  ['a date', '2001-01-01'],
  ['a timestamp', '2001-12-14t21:59:43.10-05:00'],
  ['the value key', '='],
  ['the merge key', '<<'],
  ['a sequence entry', '- x'],
  ['a comment', '#c'],
  ['a trailing comment', 'a #c'],
  ['a mapping', 'a: b'],
  ['a flow sequence', '[a, b]'],
  ['a flow mapping', '{a: 1}'],
  ['a tag', '!!str x'],
  ['an anchor', '&a'],
  ['an alias', '*a'],
  ['a complex key', '? x'],
  ['a literal block', '|'],
  ['a folded block', '>-'],
  ['a directive', '%YAML 1.1'],
  ['a document start', '---'],
  ['a document end', '...'],
  ['a reserved indicator', '@x'],
  ['a backtick', '`id`'],
  ['single quotes', "'q'"],
  ['double quotes', '"dq"'],
  ['a backslash escape', 'C:\\path\\n'],
  ['leading spaces', '  lead'],
  ['trailing spaces', 'trail  '],
  ['a single space', ' '],
  ['a tab inside', 'a\tb'],
  ['leading and trailing tabs', '\tx\t'],
  ['a newline', 'a\nb'],
  ['a trailing newline', 'a\n'],
  ['CRLF', 'a\r\nb'],
  ['a lone CR', 'a\rb'],
  ['NUL', 'a\0b'],
  ['DEL and escape', '\x7f\x1b[0m'],
  ['NEL (U+0085), a YAML 1.1 line break', 'a\u0085b'],
  ['LINE SEPARATOR (U+2028)', 'a\u2028b'],
  ['PARAGRAPH SEPARATOR (U+2029)', 'a\u2029b'],
  ['a BOM (U+FEFF) at the start', '\ufeffx'],
  ['a BOM inside', 'a\ufeffb'],
  ['the noncharacters U+FFFE and U+FFFF', 'a\ufffe\uffffb'],
  ['a lone high surrogate', 'a\ud800b'],
  ['a lone low surrogate at the end', 'a\udfff'],
  ['a no-break space', '\u00a0x\u00a0'],
  ['a zero-width space', 'a\u200bb'],
  ['unicode letters', 'café 日本語 Ωmega'],
  ['a combining accent', 'e\u0301'],
  ['right-to-left text', 'שלום'],
  ['an emoji (astral plane)', '😀 \u{1f1eb}\u{1f1f7}'],
  ['a dollar sign', '$HOME'],
  ['an interpolation', '${X:-default}'],
  ['a doubled dollar', '$$'],
  ['a long line that must not fold', `${'word '.repeat(60)}end`],
  ['a port mapping', '8080:80'],
  ['a tmpfs option string', '/run:rw,noexec,nosuid,nodev,size=64m,mode=0755'],
];

const KEY = (v: string) => ({ value: v, list: [v, 'x'], nested: { [v]: v } });

describe('toYaml against PyYAML', () => {
  let texts: string[];
  let parsed: PyYamlResult[];

  beforeAll(() => {
    texts = TRAPS.map(([, v]) => toYaml(KEY(v)));
    // One python process for the whole table.
    parsed = loadYamlWithPython(texts);
  });

  it.each(TRAPS.map(([name, value], i) => [name, value, i] as const))('gives back %s exactly', (_name, value, i) => {
    expect(onlyDoc(parsed[i]!, texts[i]!)).toEqual(KEY(value));
  });

  it.each(TRAPS.map(([name], i) => [name, i] as const))('double-quotes %s as a value, on one line', (_name, i) => {
    const lines = texts[i]!.split('\n');
    expect(lines[0]).toMatch(/^value: ".*"$/);
    expect(lines.slice(1, 4)).toEqual(['list:', `  - ${lines[0]!.slice('value: '.length)}`, '  - "x"']);
    expect(lines).toHaveLength(7);
    // No raw line break of any YAML version: CR, NEL, LS and PS are escaped like LF.
    expect(texts[i]).not.toMatch(/[\r\u0085\u2028\u2029]/);
  });

  it('round-trips generated strings of any Unicode, several documents in one text', () => {
    const seed = Date.now() ^ Math.floor(Math.random() * 0x7fffffff);
    const values = fc.sample(fc.array(wordArb, { minLength: 1, maxLength: 5 }), { numRuns: 150, seed });
    const docs = values.map((vs) => toYaml(...vs.map(KEY)));
    const back = loadYamlWithPython(docs);
    values.forEach((vs, i) => {
      const r = back[i]!;
      expect('docs' in r ? r.docs : r, `seed ${seed}\n${docs[i]}`).toEqual(vs.map(KEY));
    });
  });
});

describe('toYaml keys', () => {
  it.each(['services', 'read_only', 'security_opt', 'x-ro-profile', 'a.b', '_private', 'web1', 'NaN', 'inf', 'e'])('keeps the identifier %s plain', (key) => {
    expect(toYaml({ [key]: 1 })).toBe(`${key}: 1\n`);
  });

  it.each(['on', 'On', 'OFF', 'yes', 'No', 'y', 'N', 'true', 'False', 'null', 'NULL', '~', '0755', '1e3', '22:22', '.inf', '<<', '=', '-x', '1web', 'a b', 'a:b', '', 'é'])(
    'quotes the key %j',
    (key) => {
      expect(toYaml({ [key]: 1 })).toMatch(/^"[^\n]*": 1\n$/);
    },
  );

  it('keeps numbers and booleans the model holds as such', () => {
    expect(toYaml({ size: 67108864, read_only: true, list: [1, false] })).toBe('size: 67108864\nread_only: true\nlist:\n  - 1\n  - false\n');
  });
});

describe('toYaml output', () => {
  it('is the same bytes for the same input, key order as built', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(wordArb, wordArb), { maxLength: 6 }), (pairs) => {
        const doc = { services: Object.fromEntries(pairs), list: pairs.map(([k]) => k) };
        expect(toYaml(structuredClone(doc))).toBe(toYaml(doc));
      }),
      { numRuns: 100 },
    );
    expect(toYaml({ b: '1', a: '2' })).toBe('b: "1"\na: "2"\n');
  });

  it('joins several documents with ---', () => {
    expect(toYaml({ a: 'on' }, { b: 'off' })).toBe('a: "on"\n---\nb: "off"\n');
  });

  it('declares no YAML version and no tags: plain data any reader takes', () => {
    const text = toYaml(Object.fromEntries(TRAP_WORDS.map((w, i) => [`k${i}`, w])));
    expect(text).not.toMatch(/^%|!!|^---/m);
  });
});

describe('the YAML writer', () => {
  it('is the only module that writes YAML: no other source file uses the yaml package’s writer', () => {
    const root = fileURLToPath(new URL('../../../src/', import.meta.url));
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(root, f));
    const writers = files.filter((f) => {
      const text = readFileSync(f, 'utf8');
      return /from 'yaml'/.test(text) && /\b(stringify|Document|toString)\b/.test(text.replace(/JSON\.stringify/g, ''));
    });
    expect(writers.map((f) => relative(root, f))).toEqual(['emit/yaml.ts']);
  });
});
