import { describe, expect, it } from 'vitest';
import { dataEvidence, isLogPath } from '../../../src/analyze/classify.js';
import type { WriteEvent } from '../../../src/model/write-event.js';
import { sampleEvent as ev } from '../../helpers/samples.js';

describe('isLogPath', () => {
  it.each([
    ['/var/log/nginx/access.log', true],
    ['/var/log/app/current', true],
    ['/srv/app/out.log', true],
    ['/srv/app/out.log.1', true],
    ['/srv/app/logs/today', true],
    ['/srv/app/log/today', true],
    ['/srv/app/catalog/x', false],
    ['/srv/app/out.log.gz', false],
    ['/srv/app/blog', false],
    ['/var/lib/redis/dump.rdb', false],
    ['/var/log', false],
  ])('says whether %s is a log file: %s', (path, expected) => {
    expect(isLogPath(path)).toBe(expected);
  });
});

describe('dataEvidence', () => {
  it.each<[string, WriteEvent, string | undefined]>([
    ['a SQLite header', ev('add', '/srv/app/store', { type: 'file', format: 'sqlite' }), '/srv/app/store is a sqlite file (by its content header)'],
    ['a SQLite write-ahead log header', ev('add', '/srv/app/store-x', { type: 'file', format: 'sqlite-wal' }), '/srv/app/store-x is a sqlite-wal file (by its content header)'],
    ['a redis RDB header', ev('modify', '/var/lib/redis/dump.rdb', { type: 'file', format: 'redis-rdb' }), '/var/lib/redis/dump.rdb is a redis-rdb file (by its content header)'],
    ['a *.db name', ev('add', '/var/lib/app/app.db', { type: 'file' }), '/var/lib/app/app.db is named like database state'],
    ['a *.sqlite3 name', ev('add', '/srv/x.sqlite3', { type: 'file' }), '/srv/x.sqlite3 is named like database state'],
    ['a -wal name', ev('add', '/srv/app.db-wal', { type: 'file' }), '/srv/app.db-wal is named like database state'],
    ['a -journal name', ev('add', '/srv/app.db-journal', { type: 'file' }), '/srv/app.db-journal is named like database state'],
    ['an appendonly file', ev('add', '/data/appendonly.aof', { type: 'file' }), '/data/appendonly.aof is named like database state'],
    ['PG_VERSION', ev('add', '/var/lib/postgresql/15/main/PG_VERSION', { type: 'file' }), '/var/lib/postgresql/15/main/PG_VERSION is named like database state'],
    ['a file under pg_wal', ev('add', '/var/lib/postgresql/15/main/pg_wal/000000010000000000000001', { type: 'file' }), '/var/lib/postgresql/15/main/pg_wal/000000010000000000000001 is named like database state'],
    ['a LevelDB/RocksDB manifest', ev('add', '/data/db/MANIFEST-000004', { type: 'file' }), '/data/db/MANIFEST-000004 is named like an LSM store (LevelDB/RocksDB)'],
    ['an LSM table', ev('add', '/data/db/000012.sst', { type: 'file' }), '/data/db/000012.sst is named like an LSM store (LevelDB/RocksDB)'],
    ['a Prometheus WAL segment', ev('add', '/prometheus/wal/00000003', { type: 'file' }), '/prometheus/wal/00000003 is named like a write-ahead log segment'],
    ['head chunks', ev('add', '/prometheus/chunks_head/000001', { type: 'file' }), '/prometheus/chunks_head/000001 is named like a time-series store\'s chunks'],
    ['an InfluxDB TSM file', ev('add', '/var/lib/influxdb/data/db/rp/1/000000001-000000001.tsm', { type: 'file' }), '/var/lib/influxdb/data/db/rp/1/000000001-000000001.tsm is named like a time-series store (InfluxDB)'],
    ['a Kafka segment', ev('add', '/var/lib/kafka/t-0/00000000000000000000.log', { type: 'file' }), '/var/lib/kafka/t-0/00000000000000000000.log is named like a log-structured queue (Kafka)'],
    ['a WiredTiger file', ev('add', '/data/db/collection-0-123.wt', { type: 'file' }), '/data/db/collection-0-123.wt is named like a document store (MongoDB)'],
    ['an InnoDB tablespace', ev('add', '/var/lib/mysql/app/t.ibd', { type: 'file' }), '/var/lib/mysql/app/t.ibd is named like database state'],
    ['a plain numbered file outside a wal directory', ev('add', '/srv/app/00000003', { type: 'file' }), undefined],
    ['a gzip header (a format, not data)', ev('add', '/srv/cache/x.gz', { type: 'file', format: 'gzip' }), undefined],
    ['a plain file', ev('add', '/srv/cache/index.html', { type: 'file' }), undefined],
    ['a deleted database', ev('delete', '/var/lib/app/app.db', { type: 'file' }), undefined],
    ['an executed file', ev('exec', '/srv/tool.db', { type: 'file' }), undefined],
    ['a directory named like a database', ev('add', '/srv/store.db', { type: 'dir' }), undefined],
  ])('judges %s', (_name, event, expected) => {
    expect(dataEvidence(event)).toBe(expected);
  });
});
