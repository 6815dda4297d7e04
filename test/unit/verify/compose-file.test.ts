import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitCompose } from '../../../src/emit/compose.js';
import type { Result } from '../../../src/model/result.js';
import { verifyComposeFile, type VerifyComposeOptions } from '../../../src/verify/compose-file.js';
import { sampleResult } from '../../helpers/sample-result.js';
import { sampleMount } from '../../helpers/samples.js';

const LABELS = { 'io.ro-profile.managed': 'true', 'io.ro-profile.session': 'ci-$HOME' };

function options(result: Result, over: Partial<VerifyComposeOptions> = {}): VerifyComposeOptions {
  return {
    mounts: result.plan.mounts,
    volumeFor: (m) => `ro-profile-verify-r1-${m.path.split('/').pop() ?? ''}`,
    image: result.image.id,
    loopbackPorts: [8080],
    labels: LABELS,
    memoryBytes: 1024 ** 3,
    pidsLimit: 512,
    ...over,
  };
}

describe('verifyComposeFile', () => {
  const result = sampleResult();
  const { text, service } = verifyComposeFile(result, options(result));
  const doc = parse(text);
  const printed = parse(emitCompose(result, { override: false }));

  it('is the printed file, on the same service', () => {
    expect(service).toBe('app');
    const svc = doc.services.app;
    for (const key of ['read_only', 'security_opt', 'user', 'entrypoint', 'command', 'environment', 'env_file', 'tmpfs', 'network_mode']) {
      expect(svc[key], key).toEqual(printed.services.app[key]);
    }
  });

  it('runs the image by id, on verification\'s own volumes, declared external', () => {
    const svc = doc.services.app;
    expect(svc.image).toBe(result.image.id);
    expect(svc.volumes).toContain('ro-profile-verify-r1-data:/srv/app/data');
    expect(svc.volumes).not.toContain('example-app-1-srv-app-data:/srv/app/data');
    expect(doc.volumes['ro-profile-verify-r1-data']).toEqual({ name: 'ro-profile-verify-r1-data', external: true });
    // The user's own named volume (their --mount) is theirs: as printed, never external.
    expect(doc.volumes.cache).toEqual({ name: 'cache' });
  });

  it('publishes the probe ports on 127.0.0.1 only, never the user\'s -p', () => {
    expect(printed.services.app.ports).toEqual(['8080:8080']);
    expect(doc.services.app.ports).toEqual(['127.0.0.1::8080']);
    const none = parse(verifyComposeFile(result, options(result, { loopbackPorts: [] })).text);
    expect(none.services.app).not.toHaveProperty('ports');
  });

  it('labels the container with ours, escaped for compose, and gives it the limits of every run', () => {
    expect(doc.services.app.labels).toEqual({ 'io.ro-profile.managed': 'true', 'io.ro-profile.session': 'ci-$$HOME' });
    expect(doc.services.app.mem_limit).toBe(1024 ** 3);
    expect(doc.services.app.pids_limit).toBe(512);
  });

  it('keeps the limits the printed file carries: those are what is verified', () => {
    const MiB = 1024 * 1024;
    const limits = { policy: 'starter' as const, headroom: 2, appMemoryBytes: 64 * MiB, tmpfsBytes: 0, memoryBytes: 64 * MiB, cpus: 0.5, cpuRequest: 0.05, pids: 64, basis: { memory: '', cpus: '', pids: '' } };
    const limited = { ...result, limits };
    const svc = parse(verifyComposeFile(limited, options(limited)).text).services.app;
    const printedSvc = parse(emitCompose(limited, { override: false })).services.app;
    expect({ mem_limit: svc.mem_limit, cpus: svc.cpus, pids_limit: svc.pids_limit }).toEqual({ mem_limit: printedSvc.mem_limit, cpus: printedSvc.cpus, pids_limit: printedSvc.pids_limit });
    expect(svc.pids_limit).toBe(64);
  });

  it('labels the project\'s default network, when the service has one', () => {
    // The sample runs with --network bridge: compose makes no network of its own.
    expect(doc).not.toHaveProperty('networks');
    const { network: _bridge, ...run } = result.run;
    const own: Result = { ...result, run };
    expect(parse(verifyComposeFile(own, options(own)).text).networks).toEqual({ default: { labels: doc.services.app.labels } });
  });

  it('keeps a tmpfs-only plan free of top-level volumes of ours', () => {
    const r: Result = { ...result, run: { ...result.run, volumes: [], mounts: [] } };
    const d = parse(verifyComposeFile(r, options(r, { mounts: [sampleMount({ path: '/run/app', uid: 1000, gid: 1000 })] })).text);
    expect(d.services.app.tmpfs).toEqual(['/run/app:rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=1000,gid=1000']);
    expect(d).not.toHaveProperty('volumes');
  });

  it('traced: puts the command behind the gate, escaped for compose, with the gate\'s volume external', () => {
    const gate = { volume: 'ro-profile-verify-r1-gate', entrypoint: ['/.ro-profile/busybox', 'sh', '-c', 'echo "$1"; exec "$@"', 'ro-profile-gate'], cmd: ['nginx', '-g', 'daemon off;'] };
    const d = parse(verifyComposeFile(result, options(result, { gate })).text);
    const svc = d.services[service];
    expect(svc.entrypoint).toEqual(['/.ro-profile/busybox', 'sh', '-c', 'echo "$$1"; exec "$$@"', 'ro-profile-gate']);
    expect(svc.command).toEqual(['nginx', '-g', 'daemon off;']);
    expect(svc.volumes).toContainEqual({ type: 'volume', source: gate.volume, target: '/.ro-profile', volume: { nocopy: true } });
    expect(d.volumes[gate.volume]).toEqual({ name: gate.volume, external: true });
    // Everything else is the untraced file.
    expect(svc.tmpfs).toEqual(doc.services[service].tmpfs);
    expect(svc.read_only).toBe(true);
  });
});

describe('verifyComposeFile with the user\'s file as the base (--compose)', () => {
  const result = sampleResult();
  const { text, service } = verifyComposeFile(result, options(result, { baseService: 'web' }));
  const doc = parse(text);
  const printed = parse(emitCompose(result, { override: true, service: 'web' }));

  it('is the printed override of that service, run on the image by id', () => {
    expect(service).toBe('web');
    expect(Object.keys(doc.services)).toEqual(['web']);
    const svc = doc.services.web;
    for (const key of ['read_only', 'security_opt', 'user', 'tmpfs']) expect(svc[key], key).toEqual(printed.services.web[key]);
    expect(svc.image).toBe(result.image.id);
  });

  it('leaves the run options to the base file: no environment, command or ports of its own', () => {
    const svc = doc.services.web;
    for (const key of ['environment', 'env_file', 'entrypoint', 'command', 'ports']) expect(svc[key], key).toBeUndefined();
    expect(svc.labels['io.ro-profile.managed']).toBe('true');
  });
});
