import { describe, expect, it } from 'vitest';
import { isRoProfileError } from '../../../src/errors.js';
import { parseProfile } from '../../../src/profiles/parse-profile.js';

const VALID = `name: demo
description: a demo
match: [demo, "*/demo"]
run:
  env:
    MODE: blue
    PASSWORD: { generate: password }
  user: "1000"
ready:
  port: 8080
  log: listening
  timeout: 90s
exercise:
  - http: { port: 8080, method: POST, path: /upload, body: 70000, headers: { X-Test: "1" }, status: 201 }
  - tcp: { port: 9000, send: "PING\\r\\n", expect: "^PONG" }
  - exec: echo hi
  - exec: { command: "false", exit: 1 }
  - wait: 500ms
  - restart: true
writes:
  - { path: /data, kind: persistent, reason: the database }
`;

/** The usage error a bad profile gives, or a failure when it gives none. */
function problem(text: string): string {
  try {
    parseProfile(text, 'p.yaml');
  } catch (e) {
    expect(isRoProfileError(e) && e.code).toBe('USAGE');
    return (e as Error).message;
  }
  throw new Error('the profile was accepted');
}

describe('parseProfile', () => {
  it('reads every part of the format into the model', () => {
    const { profile, sha256 } = parseProfile(VALID, 'p.yaml');
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(profile).toEqual({
      name: 'demo',
      description: 'a demo',
      match: ['demo', '*/demo'],
      run: { env: [{ name: 'MODE', value: 'blue' }, { name: 'PASSWORD', generate: 'password' }], user: '1000' },
      ready: { ports: [8080], log: 'listening', timeoutMs: 90_000 },
      exercise: [
        { kind: 'http', port: 8080, method: 'POST', path: '/upload', bodyBytes: 70000, headers: { 'X-Test': '1' }, expectStatus: 201 },
        { kind: 'tcp', port: 9000, send: 'PING\r\n', expect: '^PONG' },
        { kind: 'exec', command: 'echo hi', expectExit: 0 },
        { kind: 'exec', command: 'false', expectExit: 1 },
        { kind: 'wait', ms: 500 },
        { kind: 'restart' },
      ],
      writes: [{ path: '/data', kind: 'persistent', reason: 'the database' }],
    });
  });

  it('defaults: GET / answering 200, POST when a body is given', () => {
    const { profile } = parseProfile('name: d\ndescription: d\nmatch: [d]\nexercise:\n  - http: { port: 80 }\n  - http: { port: 80, body: 10 }\n', 'p.yaml');
    expect(profile.exercise).toEqual([
      { kind: 'http', port: 80, method: 'GET', path: '/', bodyBytes: 0, headers: {}, expectStatus: 200 },
      { kind: 'http', port: 80, method: 'POST', path: '/', bodyBytes: 10, headers: {}, expectStatus: 200 },
    ]);
  });

  it('an unknown key: named at its own line and column, with what is allowed there', () => {
    expect(problem(VALID.replace('  user: "1000"', '  usr: "1000"'))).toBe('p.yaml is not a valid exercise profile:\np.yaml:8:3: "usr" is not allowed in run; allowed: env, command, user');
  });

  it('an unknown step: says which steps there are', () => {
    expect(problem(VALID.replace('  - wait: 500ms', '  - sleep: 500ms'))).toMatch(/^p\.yaml is not a valid exercise profile:\np\.yaml:18:5: "sleep" is not allowed in exercise\.4; allowed: http, tcp, exec, wait, restart/);
  });

  it('a wrong value: where it is and what it must be', () => {
    expect(problem(VALID.replace('port: 8080\n  log', 'port: 99999\n  log'))).toContain('p.yaml:10:9: ready.port must be <= 65535');
    expect(problem(VALID.replace('kind: persistent', 'kind: forever'))).toContain('p.yaml:21:26: writes.0.kind must be one of "persistent", "optional", "ignorable"');
    expect(problem(VALID.replace('timeout: 90s', 'timeout: soon'))).toContain('p.yaml:12:12: ready.timeout must match');
  });

  it('a restart step is written `restart: true`', () => {
    expect(problem(VALID.replace('  - restart: true', '  - restart: false'))).toContain('p.yaml:19:14: exercise.5.restart must be true');
  });

  it('a missing key', () => {
    expect(problem('name: d\nmatch: [d]\nexercise: []\n')).toContain('p.yaml:1:1: the top level needs "description"');
  });

  it('YAML that does not parse, and a pattern that is not a regular expression', () => {
    expect(problem('name: [d\n')).toMatch(/^p\.yaml:\d+:\d+: not valid YAML/);
    expect(problem(VALID.replace('expect: "^PONG"', 'expect: "(PONG"'))).toMatch(/^p\.yaml:15:50: not a regular expression/);
  });

  it('a key given twice is an error, not a silent override', () => {
    expect(problem('name: d\nname: e\ndescription: d\nmatch: [d]\nexercise: []\n')).toMatch(/^p\.yaml:2:1: not valid YAML/);
  });
});
