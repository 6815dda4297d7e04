import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest, selectContainer, type Obj } from '../../../src/source/manifest.js';
import { podSpecOf } from '../../../src/verify/pod.js';
import { asProfiled } from '../../../src/verify/workload-pod.js';

const DEPLOYMENT = readFileSync(new URL('../../../examples/manifests/deployment.yaml', import.meta.url), 'utf8');

describe('asProfiled', () => {
  it('keeps what the kubelet-like run acts on, as the profiling run had it', () => {
    const w = selectContainer(parseManifest(DEPLOYMENT, 'd.yaml'), 'd.yaml').workload;
    const pod = structuredClone(w.podSpec);
    (pod.containers as Obj[]).push({ name: 'sidecar', image: 'example/sidecar:1', volumeMounts: [{ name: 'side', mountPath: '/s' }] });
    pod.volumes = [...(pod.volumes as Obj[]), { name: 'side', emptyDir: {} }];
    pod.initContainers = [{ name: 'theirs', image: 'x' }, { name: 'seed-0', image: 'y' }];
    pod.serviceAccountName = 'web';
    const spec = asProfiled(pod, 'nginx', new Set(['seed-0']));
    expect(spec).toEqual({
      initContainers: [{ name: 'seed-0', image: 'y' }],
      containers: [
        {
          name: 'nginx',
          image: 'ro-profile-fixture/nginx:latest',
          // SHOP_API_TOKEN (a secretKeyRef) is unset, as it was when profiling.
          env: [{ name: 'SHOP_MODE', value: 'eu-west-canary' }],
          ports: [{ containerPort: 80 }],
          securityContext: { capabilities: { drop: ['NET_RAW'] } },
          resources: { limits: { memory: '256Mi' } },
          // The configMap mount is left out: the image's /etc/nginx/conf.d stays, read-only with the root.
          volumeMounts: [{ name: 'logs', mountPath: '/var/log/nginx' }],
        },
      ],
      volumes: [{ name: 'logs', emptyDir: {} }],
    });
    expect(() => podSpecOf({ kind: 'Pod', spec })).not.toThrow();
  });
});
