import type { WriteEvent } from '../model/write-event.js';

/** A log file by its place or name: a note (stdout is better), never a reason to persist. */
export function isLogPath(path: string): boolean {
  return /\.log(\.\d+)?$/.test(path) || /\/logs?\//.test(path) || path.startsWith('/var/log/');
}

/**
 * File names that databases, queues and stores use for state that must outlive the container,
 * each with the kind of store it names. Layouts of the common engines, not of one image: a match
 * is evidence the finding quotes, and --ephemeral still overrides it.
 */
const DATA_NAMES: readonly { readonly re: RegExp; readonly what: string }[] = [
  { re: /\.(db|db3|sqlite|sqlite3|rdb|aof|mdb|ldb|realm|bolt|boltdb)$/i, what: 'database state' },
  { re: /-(wal|shm|journal)$/, what: 'database state' },
  { re: /\/appendonly[^/]*$/, what: 'database state' },
  { re: /\/PG_VERSION$/, what: 'database state' },
  { re: /\/pg_wal\//, what: 'database state' },
  { re: /\/ibdata\d*$/, what: 'database state' },
  { re: /\/ib_logfile\d*$/, what: 'database state' },
  { re: /\.ibd$/, what: 'database state' },
  { re: /\/#innodb_redo\//, what: 'database state' },
  // LevelDB, RocksDB, Pebble (etcd's bbolt aside): a manifest, its pointer, and numbered tables and logs.
  { re: /\/(CURRENT|MANIFEST-\d+|OPTIONS-\d+)$/, what: 'an LSM store (LevelDB/RocksDB)' },
  { re: /\/\d{6}\.(sst|ldb)$/, what: 'an LSM store (LevelDB/RocksDB)' },
  // Write-ahead logs and segments: Prometheus's wal/00000001, etcd's member/wal, Kafka's offsets.
  { re: /\/wal\/\d{8,}$/, what: 'a write-ahead log segment' },
  { re: /\.wal$/, what: 'a write-ahead log segment' },
  { re: /\/chunks(_head)?\/\d{6,}$/, what: 'a time-series store\'s chunks' },
  { re: /\.(tsm|tsi)$/, what: 'a time-series store (InfluxDB)' },
  { re: /\/\d{20}\.(log|index|timeindex)$/, what: 'a log-structured queue (Kafka)' },
  { re: /\/version-2\/(log|snapshot)\.[0-9a-f]+$/, what: 'a coordination store (ZooKeeper)' },
  { re: /\/(WiredTiger[^/]*|[^/]+\.wt)$/, what: 'a document store (MongoDB)' },
  { re: /\/segments_[0-9a-z]+$/, what: 'a search index (Lucene)' },
  { re: /\/mnesia\/|\.(DCD|DCL)$/, what: 'a message broker\'s store (RabbitMQ)' },
];

/** Formats (from content headers) that are data, not cache. */
const DATA_FORMATS = new Set(['sqlite', 'sqlite-wal', 'redis-rdb']);

/** Why this write looks like data that must persist, or undefined when it does not. */
export function dataEvidence(e: WriteEvent): string | undefined {
  if (e.op === 'delete' || e.op === 'exec' || e.type === 'dir') return undefined;
  if (e.format && DATA_FORMATS.has(e.format)) return `${e.realPath} is a ${e.format} file (by its content header)`;
  const byName = DATA_NAMES.find((d) => d.re.test(e.realPath));
  if (byName) return `${e.realPath} is named like ${byName.what}`;
  return undefined;
}
