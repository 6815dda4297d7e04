import { describe, expect, it } from 'vitest';
import { demuxBuffer } from '../../../src/runtime/docker-api.js';

/** One frame of Docker's multiplexed stream: [stream, 0, 0, 0, size (uint32 BE)] then the bytes. */
function frame(stream: 1 | 2, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe('demuxBuffer', () => {
  it.each<[string, Buffer, { stdout: string; stderr: string }]>([
    ['frames of both streams', Buffer.concat([frame(1, 'hello '), frame(2, 'oops\n'), frame(1, 'world\n')]), { stdout: 'hello world\n', stderr: 'oops\n' }],
    ['only stderr', frame(2, 'fatal: no config\n'), { stdout: '', stderr: 'fatal: no config\n' }],
    ['a UTF-8 character split across frames', Buffer.concat([frame(1, 'caf'), Buffer.from([1, 0, 0, 0, 0, 0, 0, 1, 0xc3]), Buffer.from([1, 0, 0, 0, 0, 0, 0, 1, 0xa9])]), { stdout: 'café', stderr: '' }],
    ['a tty stream (no frames)', Buffer.from('plain output\n'), { stdout: 'plain output\n', stderr: '' }],
    ['nothing', Buffer.alloc(0), { stdout: '', stderr: '' }],
    ['a last frame cut short', Buffer.concat([frame(1, 'ok\n'), frame(2, 'truncated').subarray(0, 12)]), { stdout: 'ok\n', stderr: 'trun' }],
  ])('splits %s', (_name, buf, expected) => {
    expect(demuxBuffer(buf)).toEqual(expected);
  });
});
