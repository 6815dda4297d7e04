import { RoProfileError } from '../../errors.js';

/** One reference of the batch, and where it was given (for messages). */
export interface ListedImage {
  readonly image: string;
  /** "argument 2", "images.txt:7". */
  readonly from: string;
}

/**
 * A list file: one reference a line; blank lines, `#` comment lines and a ` #` comment after a
 * reference are ignored (a reference holds no white space, so the first word is it). A line with
 * a second word is refused: per-image flags are not part of the list.
 */
export function parseImageList(text: string, source: string): ListedImage[] {
  const out: ListedImage[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const words = line.split(/\s+/);
    if (words.length > 1) {
      throw new RoProfileError('USAGE', `${source}:${i + 1}: "${line}" is more than one image reference`, {
        hint: 'Put one reference a line (a "# comment" may follow it); flags for all images go on the command line.',
      });
    }
    out.push({ image: words[0]!, from: `${source}:${i + 1}` });
  });
  return out;
}

/** The images in the order given, each once: a repeat is dropped with a warning naming both places. */
export function dedupeImages(listed: readonly ListedImage[]): { images: ListedImage[]; warnings: string[] } {
  const first = new Map<string, ListedImage>();
  const warnings: string[] = [];
  for (const l of listed) {
    const seen = first.get(l.image);
    if (seen) warnings.push(`"${l.image}" (${l.from}) is listed already (${seen.from}); profiling it once`);
    else first.set(l.image, l);
  }
  return { images: [...first.values()], warnings };
}
