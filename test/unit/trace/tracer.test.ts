import { describe, expect, it } from 'vitest';
import { TraceCollector, within } from '../../../src/trace/tracer.js';
import { tracerDockerfile, tracerTag } from '../../../src/trace/tracer-image.js';

describe('TraceCollector', () => {
  it('parses each traced process tree apart, from the working directory, and merges their events once', () => {
    const c = new TraceCollector('/app');
    const main = c.parser('main');
    main.push('openat(AT_FDCWD, "run/app.pid", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3');
    c.add(main.end());
    c.addText('step', 'strace: Process 7 attached\nopenat(AT_FDCWD, "run/app.pid", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3\nmkdir("/var/cache/x", 0755) = 0\n');
    const r = c.result();
    expect(r.events.map((e) => `${e.op} ${e.realPath}`)).toEqual(['open-write /app/run/app.pid', 'add /var/cache/x']);
    expect(r.stats.lines).toBe(4);
  });
});

describe('within', () => {
  it('passes a result through, or fails with the timeout error', async () => {
    await expect(within(Promise.resolve(4), 1000, () => new Error('late'))).resolves.toBe(4);
    await expect(within(new Promise(() => undefined), 10, () => new Error('late'))).rejects.toThrow('late');
  });
});

describe('the tracer image recipe', () => {
  it('installs strace and a static busybox on the base', () => {
    const d = tracerDockerfile('debian:bookworm-slim');
    expect(d.startsWith('FROM debian:bookworm-slim\n')).toBe(true);
    expect(d).toContain('apt-get install -yq --no-install-recommends strace busybox-static');
  });
  it('is tagged by base and recipe, so it is built once per base', () => {
    const a = tracerTag('debian:bookworm-slim', 'sha256:1');
    expect(a).toMatch(/^ro-profile-tracer:[0-9a-f]{12}$/);
    expect(tracerTag('debian:bookworm-slim', 'sha256:1')).toBe(a);
    expect(tracerTag('debian:bookworm-slim', 'sha256:2')).not.toBe(a);
    expect(tracerTag('ubuntu:24.04', 'sha256:1')).not.toBe(a);
  });
});
