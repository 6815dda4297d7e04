import { describe, expect, it } from 'vitest';
import { containerRefusal, demuxBuffer } from '../../../src/runtime/docker-api.js';

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

describe('containerRefusal', () => {
  // The engine's own words (Docker 20.10), as dockerode carries them.
  const api = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode, json: { message } });
  it.each<[string, 'create' | 'start', unknown, string, RegExp]>([
    ['a network that does not exist', 'start', api(404, 'network nonexistent-net not found'), 'USAGE', /docker network create/],
    ['a user the image lacks', 'start', api(500, 'unable to find user nosuchuser: no matching entries in passwd file'), 'USAGE', /--user takes/],
    ['an entrypoint the image lacks', 'start', api(500, 'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/nope": stat /nope: no such file or directory: unknown'), 'CONTAINER_FAILED', /--entrypoint/],
    ['a command not in PATH', 'start', api(500, 'OCI runtime create failed: runc create failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown'), 'CONTAINER_FAILED', /--entrypoint/],
    ['a spec the engine refuses at create', 'create', api(400, 'invalid mount config for type "bind": bind source path does not exist: /nope'), 'USAGE', /-v, --mount/],
    ['any other refusal at start', 'start', api(500, 'error gathering device information while adding custom device'), 'CONTAINER_FAILED', /could not run as given/],
  ])('%s is %s', (_name, op, e, code, hint) => {
    const r = containerRefusal(op, e);
    expect(r.code).toBe(code);
    expect(r.message).toBe(`the engine refused to ${op} the container: ${(e as { json: { message: string } }).json.message}`);
    expect(r.hint).toMatch(hint);
  });
});
