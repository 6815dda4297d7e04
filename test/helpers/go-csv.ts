/**
 * Go's encoding/csv as the docker CLI uses it for `--mount` (csv.NewReader(value).Read(): one
 * record, default options), written for the tests from the Go documentation, so that what a
 * test expects of a --mount value does not come from our own parser. Throws where Go returns an
 * error (a bare or stray quote, an unterminated quoted field).
 */
export function readGoCsvRecord(input: string): string[] {
  // Go's readLine turns \r\n into \n on every line, inside quoted fields too, and drops a \r
  // that ends the input ("for backwards compatibility").
  const s = input.replace(/\r\n/g, '\n').replace(/\r$/, '');
  const fields: string[] = [];
  let i = 0;
  // A first line that is empty is skipped, like any empty line before a record.
  while (s[i] === '\n') i++;
  for (;;) {
    if (s[i] === '"') {
      let field = '';
      i++;
      for (;;) {
        const q = s.indexOf('"', i);
        if (q < 0) throw new Error(`extraneous or missing " in quoted-field: ${JSON.stringify(input)}`);
        field += s.slice(i, q);
        if (s[q + 1] === '"') {
          field += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(field);
      if (i >= s.length || s[i] === '\n') return fields;
      if (s[i] !== ',') throw new Error(`extraneous or missing " in quoted-field: ${JSON.stringify(input)}`);
      i++;
    } else {
      let end = i;
      while (end < s.length && s[end] !== ',' && s[end] !== '\n') end++;
      const field = s.slice(i, end);
      if (field.includes('"')) throw new Error(`bare " in non-quoted-field: ${JSON.stringify(input)}`);
      fields.push(field);
      // A newline outside quotes ends the record: the CLI reads only the first one.
      if (end >= s.length || s[end] === '\n') return fields;
      i = end + 1;
    }
  }
}

/** Go's csv.Writer quoting of one field: quoted when it holds a comma, a quote, CR or LF, or starts with a space. */
export function writeGoCsvField(field: string): string {
  const needs = field === '\\.' || /[,"\r\n]/.test(field) || /^[\s\u0085\u00a0]/u.test(field);
  return needs ? `"${field.replace(/"/g, '""')}"` : field;
}

export function writeGoCsvRecord(fields: readonly string[]): string {
  return fields.map(writeGoCsvField).join(',');
}
