import { spawnSync } from 'node:child_process';

/**
 * What PyYAML (a YAML 1.1 reader, like docker-compose 1.29) made of one YAML text: the documents
 * as JSON, or its error. Values JSON cannot hold (dates, non-finite floats, sets, non-string
 * keys) come back tagged, so a misread shows in a test diff instead of crashing the bridge:
 * `{"!py": "date", "repr": "datetime.date(2001, 1, 1)"}`, a key `"!py:bool:True"`.
 */
export type PyYamlResult = { readonly docs: unknown[] } | { readonly error: string };

const SCRIPT = String.raw`
import sys, json, math, yaml

def conv(x):
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, int):
        return x
    if isinstance(x, float):
        return x if math.isfinite(x) else {"!py": "float", "repr": repr(x)}
    if isinstance(x, list):
        return [conv(v) for v in x]
    if isinstance(x, dict):
        return {(k if isinstance(k, str) else "!py:%s:%r" % (type(k).__name__, k)): conv(v) for k, v in x.items()}
    return {"!py": type(x).__name__, "repr": repr(x)}

data = sys.stdin.buffer.read()
out = []
pos = 0
while pos < len(data):
    nl = data.index(b"\n", pos)
    n = int(data[pos:nl])
    text = data[nl + 1 : nl + 1 + n]
    pos = nl + 1 + n
    try:
        # Bytes, as a file would be read: PyYAML decodes them itself (UTF-8 here).
        out.append({"docs": [conv(d) for d in yaml.safe_load_all(text)]})
    except Exception as e:
        out.append({"error": "%s: %s" % (type(e).__name__, e)})
sys.stdout.write(json.dumps(out))
`;

/**
 * Parses YAML texts with python3's yaml.safe_load_all, all in ONE python process. Each text is
 * handed over as the UTF-8 bytes a file written by ro-profile would hold (a lone surrogate in a
 * JS string becomes U+FFFD there, as it would on stdout).
 */
export function loadYamlWithPython(texts: readonly string[]): PyYamlResult[] {
  const input = Buffer.concat(
    texts.flatMap((t) => {
      const bytes = Buffer.from(t, 'utf8');
      return [Buffer.from(`${bytes.length}\n`), bytes];
    }),
  );
  const r = spawnSync('python3', ['-c', SCRIPT], { input, maxBuffer: 256 * 1024 * 1024 });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : r.stderr.toString('utf8');
    throw new Error(`python3 with PyYAML is needed to read YAML back (apt-get install python3-yaml): ${why}`);
  }
  const out = JSON.parse(r.stdout.toString('utf8')) as PyYamlResult[];
  if (out.length !== texts.length) throw new Error(`python3 read ${out.length} YAML texts of ${texts.length}`);
  return out;
}

/** The single document PyYAML read from a text, or a thrown error with PyYAML's message and the text. */
export function onlyDoc(r: PyYamlResult, text: string): unknown {
  if ('error' in r) throw new Error(`PyYAML could not read:\n${text}\n${r.error}`);
  if (r.docs.length !== 1) throw new Error(`PyYAML read ${r.docs.length} documents from:\n${text}`);
  return r.docs[0];
}
