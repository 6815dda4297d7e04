import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest, selectContainer } from '../../../src/source/manifest.js';
import { manifestRun } from '../../../src/source/manifest-run.js';

const read = (f: string) => readFileSync(new URL(`../../../examples/manifests/${f}`, import.meta.url), 'utf8');

/** The run of a Pod whose one container and pod spec are these. */
function runOf(container: object, pod: object = {}, given?: ReadonlySet<string>) {
  const doc = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { ...pod, containers: [{ name: 'app', image: 'example/app:1', ...container }] } };
  return manifestRun(selectContainer(parseManifest(JSON.stringify(doc), 'p.yaml'), 'p.yaml'), given);
}

describe('manifestRun', () => {
  it('maps the example Deployment: env values, a secret left unset, an emptyDir, a configMap, the readinessProbe', () => {
    const r = manifestRun(selectContainer(parseManifest(read('deployment.yaml'), 'd.yaml'), 'd.yaml'));
    expect(r.image).toBe('ro-profile-fixture/nginx:latest');
    expect(r.env).toEqual(['SHOP_MODE=eu-west-canary']);
    expect(r.mounts).toEqual(['type=tmpfs,destination=/var/log/nginx']);
    expect(r.mountPaths).toEqual(['/etc/nginx/conf.d', '/var/log/nginx']);
    expect(r.readOnlyPaths).toEqual(['/etc/nginx/conf.d']);
    expect(r.ready).toEqual({ http: { port: 80, path: '/', status: 200 } });
    expect(r.user).toBeUndefined();
    expect(r.warnings).toEqual([
      'env SHOP_API_TOKEN comes from secretKeyRef, which has no value offline: it is unset in the profiling run (give it with -e SHOP_API_TOKEN=VALUE)',
      expect.stringMatching(/^\/etc\/nginx\/conf\.d is a configMap volume, read-only in Kubernetes/),
    ]);
  });

  it('maps the helm template StatefulSet: a claim is a writable volume, a tcpSocket probe on a named port', () => {
    const r = manifestRun(selectContainer(parseManifest(read('helm-template.yaml'), 'h.yaml'), 'h.yaml', 'redis'));
    expect(r.mounts).toEqual(['type=volume,destination=/var/lib/redis']);
    expect(r.ready).toEqual({ ports: [6379] });
  });

  it.each([
    ['neither', {}, undefined, []],
    ['args only: the image ENTRYPOINT with these args', { args: ['--port', '80'] }, undefined, ['--port', '80']],
    ['command only: no image CMD (--entrypoint clears it)', { command: ['/bin/app', 'serve'] }, '/bin/app', ['serve']],
    ['command and args', { command: ['/bin/app'], args: ['serve', '-v'] }, '/bin/app', ['serve', '-v']],
    ['an empty command is none', { command: [], args: ['x'] }, undefined, ['x']],
  ])('k8s command/args, %s', (_, c, entrypoint, command) => {
    const r = runOf(c);
    expect(r.entrypoint).toBe(entrypoint);
    expect(r.command).toEqual(command);
  });

  it('warns of $(VAR) in command or args, which only the kubelet expands', () => {
    expect(runOf({ args: ['--name=$(POD_NAME)'] }).warnings).toEqual([expect.stringMatching(/\$\(VAR\), which the kubelet expands/)]);
  });

  it.each([
    ['the container user over the pod one', { securityContext: { runAsUser: 1000 } }, { securityContext: { runAsUser: 5, runAsGroup: 7 } }, '1000:7'],
    ['the pod user', {}, { securityContext: { runAsUser: 5 } }, '5'],
    ['uid 0', { securityContext: { runAsUser: 0, runAsGroup: 0 } }, {}, '0:0'],
    ['none', {}, {}, undefined],
  ])('user: %s', (_, c, pod, user) => {
    expect(runOf(c, pod).user).toBe(user);
  });

  it('warns of runAsGroup alone, envFrom, workingDir and init containers', () => {
    const r = runOf({ envFrom: [{ secretRef: { name: 's' } }, { configMapRef: { name: 'c' } }], workingDir: '/w', securityContext: { runAsGroup: 3 } }, { initContainers: [{ name: 'i', image: 'x' }] });
    expect(r.warnings).toEqual([
      expect.stringMatching(/^envFrom secret "s" has no values offline/),
      expect.stringMatching(/^envFrom configMap "c" has no values offline/),
      expect.stringMatching(/^workingDir \/w is not applied/),
      expect.stringMatching(/init containers are not run/),
      expect.stringMatching(/^runAsGroup 3 without runAsUser/),
    ]);
  });

  it('a variable given with -e needs no warning; one without a value is set empty', () => {
    const r = runOf({ env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }, { name: 'EMPTY' }, { name: 'N', value: '3' }] }, {}, new Set(['TOKEN']));
    expect(r.env).toEqual(['EMPTY=', 'N=3']);
    expect(r.warnings).toEqual([]);
  });

  it.each([
    ['emptyDir', { emptyDir: { medium: 'Memory' } }, false, ['type=tmpfs,destination=/d'], []],
    ['a read-only claim', { persistentVolumeClaim: { claimName: 'c' } }, true, ['type=volume,destination=/d,readonly'], []],
    ['hostPath', { hostPath: { path: '/srv' } }, false, ['type=volume,destination=/d'], []],
    ['secret', { secret: { secretName: 's' } }, false, [], ['/d']],
    ['projected', { projected: { sources: [] } }, false, [], ['/d']],
    ['downwardAPI', { downwardAPI: { items: [] } }, false, [], ['/d']],
  ])('a volumeMount of %s', (_, volume, readOnly, mounts, readOnlyPaths) => {
    const r = runOf({ volumeMounts: [{ name: 'v', mountPath: '/d', ...(readOnly ? { readOnly } : {}) }] }, { volumes: [{ name: 'v', ...volume }] });
    expect(r.mounts).toEqual(mounts);
    expect(r.readOnlyPaths).toEqual(readOnlyPaths);
    expect(r.mountPaths).toEqual(['/d']);
  });

  it('readiness: the container ports when it has no usable probe', () => {
    expect(runOf({ ports: [{ containerPort: 8080 }, { containerPort: 53, protocol: 'UDP' }, { containerPort: 9090 }] }).ready).toEqual({ ports: [8080, 9090] });
    const https = runOf({ ports: [{ containerPort: 8443 }], readinessProbe: { httpGet: { port: 8443, scheme: 'HTTPS' } } });
    expect(https.ready).toEqual({ ports: [8443] });
    expect(https.warnings).toEqual([expect.stringMatching(/HTTPS/)]);
    expect(runOf({ readinessProbe: { exec: { command: ['true'] } } }).warnings).toEqual([expect.stringMatching(/not httpGet or tcpSocket/)]);
  });

  it('refuses a container without an image', () => {
    const doc = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'app' }] } };
    expect(() => manifestRun(selectContainer(parseManifest(JSON.stringify(doc), 'p.yaml'), 'p.yaml'))).toThrow(/p\.yaml:1:\d+: container "app" of Pod "p" has no image/);
  });
});
