/** One line of text: line breaks of any kind become spaces (a Markdown cell, a shell comment). */
export function oneLine(s: string): string {
  return s.replace(/[\r\n\u2028\u2029\u0085]+/g, ' ');
}
