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
    ['a gzip header (a format, not data)', ev('add', '/srv/cache/x.gz', { type: 'file', format: 'gzip' }), undefined],
    ['a plain file', ev('add', '/srv/cache/index.html', { type: 'file' }), undefined],
    ['a deleted database', ev('delete', '/var/lib/app/app.db', { type: 'file' }), undefined],
    ['an executed file', ev('exec', '/srv/tool.db', { type: 'file' }), undefined],
    ['a directory named like a database', ev('add', '/srv/store.db', { type: 'dir' }), undefined],
  ])('judges %s', (_name, event, expected) => {
    expect(dataEvidence(event)).toBe(expected);
  });
});
