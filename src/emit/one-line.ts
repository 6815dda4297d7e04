/** One line of text: line breaks of any kind become spaces (a Markdown cell, a shell comment). */
export function oneLine(s: string): string {
  return s.replace(/[\r\n\u2028\u2029\u0085]+/g, ' ');
}

/** A path as one table cell: quoted JSON-style only when it holds a control character (a newline would break the row). */
export function displayPath(path: string): string {
  return /[\u0000-\u001f\u007f]/.test(path) ? JSON.stringify(path) : path;
}
