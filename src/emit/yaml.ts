import YAML, { type Tags } from 'yaml';

/**
 * The one YAML writer. Every string value is double-quoted, with anything a reader could take
 * for something else escaped: YAML 1.1 readers (PyYAML, docker-compose 1.29) read `on`, `yes`,
 * `0755`, `22:22`, `=` and `<<` as booleans, numbers, a value tag or a merge key when plain,
 * and line/paragraph separators, NEL and BOM as line breaks or noise when raw. Keys stay plain
 * when they are plain identifiers. Output is deterministic: key order is the order the
 * emitters build, and documents are joined with `---`.
 */
export function toYaml(...docs: readonly unknown[]): string {
  return docs.map((d) => YAML.stringify(d, OPTIONS)).join('---\n');
}

const STR = 'tag:yaml.org,2002:str';
const MERGE = 'tag:yaml.org,2002:merge';
const SAFE_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const YAML11_WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

const stringTag = {
  identify: (v: unknown) => typeof v === 'string',
  default: true,
  tag: STR,
  resolve: (s: string) => s,
  stringify: (item: { value: unknown }, ctx: { implicitKey?: boolean }) => {
    const s = String(item.value);
    return ctx.implicitKey && SAFE_KEY.test(s) && !YAML11_WORDS.has(s.toLowerCase()) ? s : doubleQuote(s);
  },
};

const OPTIONS = {
  version: '1.1' as const,
  lineWidth: 0,
  customTags: (tags: Tags) => [stringTag, ...tags.filter((t) => typeof t === 'string' || (t.tag !== STR && t.tag !== MERGE))] as Tags,
};

/** A YAML double-quoted scalar: escapes quotes, backslashes and every non-printable character. */
export function doubleQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff || (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) {
      out += c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}
