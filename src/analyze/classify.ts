import type { WriteEvent } from '../model/write-event.js';

/** A log file by its place or name: a note (stdout is better), never a reason to persist. */
export function isLogPath(path: string): boolean {
  return /\.log(\.\d+)?$/.test(path) || /\/logs?\//.test(path) || path.startsWith('/var/log/');
}

/** File names that databases and queues use for state that must outlive the container. */
const DATA_NAMES = [
  /\.(db|db3|sqlite|sqlite3|rdb|aof|mdb|ldb|realm)$/i,
  /-(wal|shm|journal)$/,
  /\/appendonly[^/]*$/,
  /\/PG_VERSION$/,
  /\/pg_wal\//,
  /\/ibdata\d*$/,
  /\/ib_logfile\d*$/,
];

/** Formats (from content headers) that are data, not cache. */
const DATA_FORMATS = new Set(['sqlite', 'sqlite-wal', 'redis-rdb']);

/** Why this write looks like data that must persist, or undefined when it does not. */
export function dataEvidence(e: WriteEvent): string | undefined {
  if (e.op === 'delete' || e.op === 'exec' || e.type === 'dir') return undefined;
  if (e.format && DATA_FORMATS.has(e.format)) return `${e.realPath} is a ${e.format} file (by its content header)`;
  const byName = DATA_NAMES.find((re) => re.test(e.realPath));
  if (byName) return `${e.realPath} is named like database state`;
  return undefined;
}
