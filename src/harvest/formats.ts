/**
 * Recognises data formats by their first bytes, so a database kept outside any VOLUME is
 * never quietly put on a tmpfs. Only formats with an unambiguous magic number are listed;
 * names are judged separately (analyze/classify.ts).
 */
const MAGIC: readonly { readonly format: string; readonly bytes: Buffer }[] = [
  { format: 'sqlite', bytes: Buffer.from('SQLite format 3\0', 'latin1') },
  { format: 'redis-rdb', bytes: Buffer.from('REDIS', 'latin1') },
  // Berkeley DB btree/hash magic as stored little-endian at offset 12 is not at offset 0; skipped.
  { format: 'sqlite-wal', bytes: Buffer.from([0x37, 0x7f, 0x06, 0x82]) },
  { format: 'sqlite-wal', bytes: Buffer.from([0x37, 0x7f, 0x06, 0x83]) },
  { format: 'gzip', bytes: Buffer.from([0x1f, 0x8b]) },
];

/** Bytes of each file read for recognition. */
export const HEAD_BYTES = 16;

export function formatOf(head: Buffer | undefined): string | undefined {
  if (!head) return undefined;
  // Byte by byte, no subarray: this runs for every file a listing kept.
  for (const { format, bytes } of MAGIC) {
    if (head.length < bytes.length) continue;
    let k = 0;
    while (k < bytes.length && head[k] === bytes[k]) k++;
    if (k === bytes.length) return format;
  }
  return undefined;
}
