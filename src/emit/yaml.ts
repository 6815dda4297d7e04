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

/** A comment to put above the node at `path` (keys and sequence indexes from the document root). */
export interface YamlComment {
  readonly path: readonly (string | number)[];
  readonly text: string;
}

/** Like toYaml, with comments: the reader of a security artefact should see why, next to what. */
export function toYamlWithComments(...docs: readonly { readonly value: unknown; readonly comments: readonly YamlComment[] }[]): string {
  return docs
    .map(({ value, comments }) => {
      const doc = new YAML.Document(value, OPTIONS);
      for (const c of comments) {
        const node = commentTarget(doc, c.path);
        if (!node) throw new Error(`no YAML node at ${c.path.join('.')} for a comment`);
        const text = c.text
          .split('\n')
          .map((l) => ` ${commentLine(l)}`)
          .join('\n');
        node.commentBefore = node.commentBefore ? `${node.commentBefore}\n${text}` : text;
      }
      return doc.toString(OPTIONS);
    })
    .join('---\n');
}

/** For a map entry, the key (the comment goes above the whole entry); for a sequence item, the item. */
function commentTarget(doc: YAML.Document, path: readonly (string | number)[]): { commentBefore?: string | null } | undefined {
  const last = path[path.length - 1];
  if (typeof last === 'string') {
    const parent = doc.getIn(path.slice(0, -1), true);
    if (YAML.isMap(parent)) {
      const pair = parent.items.find((p) => YAML.isScalar(p.key) && p.key.value === last);
      if (pair && YAML.isScalar(pair.key)) return pair.key;
    }
    return undefined;
  }
  const node = doc.getIn(path, true);
  return node && typeof node === 'object' ? (node as { commentBefore?: string | null }) : undefined;
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
  // A value used twice is written twice: anchors and aliases confuse readers of a security artefact.
  aliasDuplicateObjects: false,
  customTags: (tags: Tags) => [stringTag, ...tags.filter((t) => typeof t === 'string' || (t.tag !== STR && t.tag !== MERGE))] as Tags,
};

/**
 * One comment line as YAML readers take it: a character that any of them reads as a line break
 * (CR, NEL, LS, PS) would end the comment and make the rest of the line YAML, and one that is not
 * printable (a control character, a BOM, a noncharacter, a lone surrogate) makes PyYAML refuse
 * the whole text. Those are written as their escape (the path /a\rb reads "/a\x0db").
 */
function commentLine(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    out += ch !== '\t' && unprintable(c) ? escapeOf(c) : ch;
  }
  return out;
}

function unprintable(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff || (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff;
}

function escapeOf(c: number): string {
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

/** A YAML double-quoted scalar: escapes quotes, backslashes and every non-printable character. */
export function doubleQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (unprintable(c)) out += escapeOf(c);
    else out += ch;
  }
  return `${out}"`;
}
