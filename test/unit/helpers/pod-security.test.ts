import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { restrictedViolations } from '../../helpers/pod-security.js';

/**
 * The Pod Security Standards checker itself (test/helpers/pod-security.ts): a compliant pod passes,
 * and each control, broken by one small edit, is reported with the field it names.
 */

type Json = Record<string, unknown>;

interface TestPod {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: Json & {
    securityContext: Json;
    containers: (Json & { securityContext: Json })[];
    volumes: Json[];
  };
}

/** The smallest Pod the restricted profile accepts. */
function compliantPod(): TestPod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'app' },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'app',
          image: 'example/app:1',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    },
  };
}

/** A compliant Pod after one edit. */
function podWith(edit: (pod: TestPod) => void): TestPod {
  const pod = compliantPod();
  edit(pod);
  return pod;
}

function container(pod: TestPod): Json & { securityContext: Json } {
  const c = pod.spec.containers[0];
  if (!c) throw new Error('no container');
  return c;
}

/** The violations name only the given controls, and one of them mentions `field`. */
function expectReported(doc: unknown, controls: readonly string[], field: string): string[] {
  const violations = restrictedViolations(doc);
  expect(violations.length, 'some violation').toBeGreaterThan(0);
  for (const v of violations) expect(controls.some((c) => v.startsWith(`[${c}] `)), v).toBe(true);
  expect(violations, `a violation mentions ${field}`).toEqual(expect.arrayContaining([expect.stringContaining(field)]));
  return violations;
}

describe('restrictedViolations: compliant pods', () => {
  it('passes the minimal compliant Pod', () => {
    expect(restrictedViolations(compliantPod())).toEqual([]);
  });

  it('passes every value the page allows', () => {
    const pod = podWith((p) => {
      p.metadata.annotations = {
        'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default',
        'container.apparmor.security.beta.kubernetes.io/other': 'localhost/my-profile',
      };
      Object.assign(p.spec, { hostNetwork: false, hostPID: false, hostIPC: false, os: { name: 'linux' } });
      Object.assign(p.spec.securityContext, {
        runAsUser: 1000,
        windowsOptions: { hostProcess: false },
        appArmorProfile: { type: 'RuntimeDefault' },
        seLinuxOptions: { type: 'container_t', level: 's0:c123,c456' },
        sysctls: [
          { name: 'kernel.shm_rmid_forced', value: '0' },
          { name: 'net.ipv4.ip_unprivileged_port_start', value: '0' },
          { name: 'net.ipv4.tcp_keepalive_probes', value: '5' },
        ],
      });
      const c = container(p);
      Object.assign(c.securityContext, {
        privileged: false,
        procMount: 'Default',
        runAsNonRoot: true,
        runAsUser: 1001,
        seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/app.json' },
        appArmorProfile: { type: 'Localhost', localhostProfile: 'my-profile' },
        seLinuxOptions: { type: '', user: '', role: '' },
        capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
      });
      c['ports'] = [{ containerPort: 8080, hostPort: 0 }];
      c['livenessProbe'] = { httpGet: { path: '/healthz', port: 8080, host: '' } };
      c['readinessProbe'] = { tcpSocket: { port: 8080 } };
      p.spec.volumes = [
        { name: 'a', configMap: { name: 'cm' } },
        { name: 'b', csi: { driver: 'inline.example.com' } },
        { name: 'c', downwardAPI: { items: [] } },
        { name: 'd', emptyDir: { medium: 'Memory' } },
        { name: 'e', ephemeral: { volumeClaimTemplate: { spec: {} } } },
        { name: 'f', persistentVolumeClaim: { claimName: 'data' } },
        { name: 'g', projected: { sources: [] } },
        { name: 'h', secret: { secretName: 's' } },
      ];
    });
    expect(restrictedViolations(pod)).toEqual([]);
  });
});

describe('restrictedViolations: baseline controls', () => {
  it('HostProcess: pod-level and container-level windowsOptions.hostProcess', () => {
    expectReported(podWith((p) => (p.spec.securityContext['windowsOptions'] = { hostProcess: true })), ['HostProcess'], 'spec.securityContext.windowsOptions.hostProcess');
    expectReported(podWith((p) => (container(p).securityContext['windowsOptions'] = { hostProcess: true })), ['HostProcess'], 'securityContext.windowsOptions.hostProcess');
  });

  it.each(['hostNetwork', 'hostPID', 'hostIPC'])('Host Namespaces: spec.%s', (field) => {
    expectReported(podWith((p) => (p.spec[field] = true)), ['Host Namespaces'], `spec.${field}`);
  });

  it('Privileged Containers: securityContext.privileged', () => {
    expectReported(podWith((p) => (container(p).securityContext['privileged'] = true)), ['Privileged Containers'], 'securityContext.privileged');
  });

  it('Capabilities (baseline): adding a capability beyond the default set', () => {
    const v = expectReported(
      podWith((p) => (container(p).securityContext['capabilities'] = { drop: ['ALL'], add: ['SYS_ADMIN'] })),
      ['Capabilities (baseline)', 'Capabilities (restricted)'],
      'securityContext.capabilities.add',
    );
    expect(v.some((m) => m.startsWith('[Capabilities (baseline)]') && m.includes('SYS_ADMIN'))).toBe(true);
  });

  it('HostPath Volumes: spec.volumes[*].hostPath', () => {
    expectReported(podWith((p) => p.spec.volumes.push({ name: 'host', hostPath: { path: '/etc' } })), ['HostPath Volumes', 'Volume Types'], 'hostPath');
    const v = restrictedViolations(podWith((p) => p.spec.volumes.push({ name: 'host', hostPath: { path: '/etc' } })));
    expect(v.some((m) => m.startsWith('[HostPath Volumes]') && m.includes('spec.volumes[1]'))).toBe(true);
  });

  it('Host Ports: ports[*].hostPort', () => {
    expectReported(podWith((p) => (container(p)['ports'] = [{ containerPort: 80, hostPort: 8080 }])), ['Host Ports'], 'ports[0].hostPort');
  });

  it('Host Probes / Lifecycle Hooks: the host of a probe or hook handler', () => {
    expectReported(podWith((p) => (container(p)['livenessProbe'] = { httpGet: { port: 80, host: '10.0.0.1' } })), ['Host Probes / Lifecycle Hooks'], 'livenessProbe.httpGet.host');
    expectReported(podWith((p) => (container(p)['startupProbe'] = { tcpSocket: { port: 80, host: 'node' } })), ['Host Probes / Lifecycle Hooks'], 'startupProbe.tcpSocket.host');
    expectReported(
      podWith((p) => (container(p)['lifecycle'] = { preStop: { httpGet: { port: 80, host: 'metadata.internal' } } })),
      ['Host Probes / Lifecycle Hooks'],
      'lifecycle.preStop.httpGet.host',
    );
  });

  it('AppArmor: appArmorProfile.type at either level, and the annotations', () => {
    expectReported(podWith((p) => (p.spec.securityContext['appArmorProfile'] = { type: 'Unconfined' })), ['AppArmor'], 'spec.securityContext.appArmorProfile.type');
    expectReported(podWith((p) => (container(p).securityContext['appArmorProfile'] = { type: 'Unconfined' })), ['AppArmor'], 'securityContext.appArmorProfile.type');
    expectReported(
      podWith((p) => (p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' })),
      ['AppArmor'],
      'metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]',
    );
  });

  it('SELinux: seLinuxOptions.type outside the allowed set, and any user or role', () => {
    expectReported(podWith((p) => (p.spec.securityContext['seLinuxOptions'] = { type: 'spc_t' })), ['SELinux'], 'spec.securityContext.seLinuxOptions.type');
    expectReported(podWith((p) => (container(p).securityContext['seLinuxOptions'] = { type: 'unconfined_t' })), ['SELinux'], 'securityContext.seLinuxOptions.type');
    expectReported(podWith((p) => (container(p).securityContext['seLinuxOptions'] = { user: 'system_u' })), ['SELinux'], 'seLinuxOptions.user');
    expectReported(podWith((p) => (p.spec.securityContext['seLinuxOptions'] = { role: 'system_r' })), ['SELinux'], 'spec.securityContext.seLinuxOptions.role');
  });

  it('/proc Mount Type: securityContext.procMount', () => {
    expectReported(podWith((p) => (container(p).securityContext['procMount'] = 'Unmasked')), ['/proc Mount Type'], 'securityContext.procMount');
  });

  it('Seccomp (baseline): Unconfined at either level', () => {
    expectReported(podWith((p) => (container(p).securityContext['seccompProfile'] = { type: 'Unconfined' })), ['Seccomp (baseline)'], 'securityContext.seccompProfile.type');
    // Pod-level Unconfined: the container inherits it, so the restricted control also fails.
    expectReported(
      podWith((p) => (p.spec.securityContext['seccompProfile'] = { type: 'Unconfined' })),
      ['Seccomp (baseline)', 'Seccomp (restricted)'],
      'spec.securityContext.seccompProfile.type',
    );
  });

  it('Sysctls: a name outside the safe set', () => {
    expectReported(podWith((p) => (p.spec.securityContext['sysctls'] = [{ name: 'kernel.msgmax', value: '65536' }])), ['Sysctls'], 'spec.securityContext.sysctls[0].name');
    expectReported(podWith((p) => (p.spec.securityContext['sysctls'] = [{ name: 'net.core.somaxconn', value: '1024' }])), ['Sysctls'], 'net.core.somaxconn');
  });
});

describe('restrictedViolations: restricted controls', () => {
  it.each([
    ['nfs', { server: 'nfs.example.com', path: '/' }],
    ['gitRepo', { repository: 'https://example.com/r.git' }],
    ['image', { reference: 'example/data:1' }],
  ])('Volume Types: a %s volume', (source, value) => {
    const v = expectReported(podWith((p) => p.spec.volumes.push({ name: 'v', [source]: value })), ['Volume Types'], 'spec.volumes[1]');
    expect(v.some((m) => m.includes(source))).toBe(true);
  });

  it('Privilege Escalation: allowPrivilegeEscalation unset or true', () => {
    expectReported(podWith((p) => delete container(p).securityContext['allowPrivilegeEscalation']), ['Privilege Escalation'], 'securityContext.allowPrivilegeEscalation');
    expectReported(podWith((p) => (container(p).securityContext['allowPrivilegeEscalation'] = true)), ['Privilege Escalation'], 'securityContext.allowPrivilegeEscalation');
  });

  it('Running as Non-root: runAsNonRoot unset everywhere', () => {
    expectReported(podWith((p) => delete p.spec.securityContext['runAsNonRoot']), ['Running as Non-root'], 'runAsNonRoot');
  });

  it('Running as Non-root user: runAsUser 0 at either level', () => {
    expectReported(podWith((p) => (p.spec.securityContext['runAsUser'] = 0)), ['Running as Non-root user'], 'spec.securityContext.runAsUser');
    expectReported(podWith((p) => (container(p).securityContext['runAsUser'] = 0)), ['Running as Non-root user'], 'spec.containers[0] ("app"): securityContext.runAsUser');
  });

  it('Seccomp (restricted): no profile at either level', () => {
    expectReported(podWith((p) => delete p.spec.securityContext['seccompProfile']), ['Seccomp (restricted)'], 'securityContext.seccompProfile.type');
  });

  it('Capabilities (restricted): drop must include ALL, add only NET_BIND_SERVICE', () => {
    expectReported(podWith((p) => delete container(p).securityContext['capabilities']), ['Capabilities (restricted)'], 'securityContext.capabilities.drop');
    expectReported(podWith((p) => (container(p).securityContext['capabilities'] = { drop: ['NET_RAW'] })), ['Capabilities (restricted)'], 'securityContext.capabilities.drop');
    // CHOWN is in the baseline's default set, so only the restricted control objects.
    expectReported(podWith((p) => (container(p).securityContext['capabilities'] = { drop: ['ALL'], add: ['CHOWN'] })), ['Capabilities (restricted)'], 'securityContext.capabilities.add');
  });
});

describe('restrictedViolations: pod-level and container-level fields', () => {
  it('seccomp: every container setting RuntimeDefault or Localhost stands in for the pod level', () => {
    const pod = podWith((p) => {
      delete p.spec.securityContext['seccompProfile'];
      container(p).securityContext['seccompProfile'] = { type: 'RuntimeDefault' };
      p.spec['initContainers'] = [
        { name: 'init', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } },
      ];
    });
    expect(restrictedViolations(pod)).toEqual([]);
  });

  it('seccomp: one container without a profile fails when the pod sets none', () => {
    const pod = podWith((p) => {
      delete p.spec.securityContext['seccompProfile'];
      container(p).securityContext['seccompProfile'] = { type: 'RuntimeDefault' };
      p.spec.containers.push({ name: 'sidecar', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } });
    });
    const v = expectReported(pod, ['Seccomp (restricted)'], 'spec.containers[1] ("sidecar"): securityContext.seccompProfile.type');
    expect(v).toHaveLength(1);
  });

  it('seccomp: a container-level RuntimeDefault does not excuse a pod-level Unconfined', () => {
    const pod = podWith((p) => {
      p.spec.securityContext['seccompProfile'] = { type: 'Unconfined' };
      container(p).securityContext['seccompProfile'] = { type: 'RuntimeDefault' };
    });
    expectReported(pod, ['Seccomp (baseline)'], 'spec.securityContext.seccompProfile.type');
  });

  it('runAsNonRoot: every container setting true stands in for the pod level', () => {
    const pod = podWith((p) => {
      delete p.spec.securityContext['runAsNonRoot'];
      container(p).securityContext['runAsNonRoot'] = true;
    });
    expect(restrictedViolations(pod)).toEqual([]);
  });

  it('runAsNonRoot: a container without it fails when the pod sets none', () => {
    const pod = podWith((p) => {
      delete p.spec.securityContext['runAsNonRoot'];
      container(p).securityContext['runAsNonRoot'] = true;
      p.spec['initContainers'] = [{ name: 'init', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }];
    });
    const v = expectReported(pod, ['Running as Non-root'], 'spec.initContainers[0] ("init"): securityContext.runAsNonRoot');
    expect(v).toHaveLength(1);
  });

  it('runAsNonRoot: a container setting false overrides the pod-level true', () => {
    expectReported(podWith((p) => (container(p).securityContext['runAsNonRoot'] = false)), ['Running as Non-root'], 'spec.containers[0] ("app"): securityContext.runAsNonRoot');
  });

  it('runAsNonRoot: an explicit pod-level false fails even when every container sets true', () => {
    const pod = podWith((p) => {
      p.spec.securityContext['runAsNonRoot'] = false;
      container(p).securityContext['runAsNonRoot'] = true;
    });
    expectReported(pod, ['Running as Non-root'], 'spec.securityContext.runAsNonRoot');
  });

  it('applies the container rules to initContainers and ephemeralContainers', () => {
    const init = expectReported(
      podWith((p) => (p.spec['initContainers'] = [{ name: 'init', image: 'x', securityContext: { capabilities: { drop: ['ALL'] } } }])),
      ['Privilege Escalation'],
      'spec.initContainers[0] ("init"): securityContext.allowPrivilegeEscalation',
    );
    expect(init).toHaveLength(1);
    expectReported(
      podWith((p) => (p.spec['ephemeralContainers'] = [{ name: 'debug', image: 'x', securityContext: { allowPrivilegeEscalation: false, privileged: true, capabilities: { drop: ['ALL'] } } }])),
      ['Privileged Containers'],
      'spec.ephemeralContainers[0] ("debug"): securityContext.privileged',
    );
  });

  it('skips the Linux-only controls for a pod with spec.os.name windows', () => {
    const pod = podWith((p) => {
      p.spec['os'] = { name: 'windows' };
      delete p.spec.securityContext['seccompProfile'];
      container(p).securityContext = {};
    });
    expect(restrictedViolations(pod)).toEqual([]);
  });
});

describe('restrictedViolations: documents', () => {
  function deploymentOf(pod: TestPod): Json {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'app' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'app' } },
        template: { metadata: { labels: { app: 'app' }, ...(pod.metadata.annotations ? { annotations: pod.metadata.annotations } : {}) }, spec: pod.spec },
      },
    };
  }

  it('unwraps a Deployment to spec.template.spec', () => {
    expect(restrictedViolations(deploymentOf(compliantPod()))).toEqual([]);
    expectReported(
      deploymentOf(podWith((p) => (container(p).securityContext['allowPrivilegeEscalation'] = true))),
      ['Privilege Escalation'],
      'spec.template.spec.containers[0] ("app"): securityContext.allowPrivilegeEscalation',
    );
    expectReported(deploymentOf(podWith((p) => (p.spec['hostPID'] = true))), ['Host Namespaces'], 'spec.template.spec.hostPID');
  });

  it('reads the AppArmor annotations of a Deployment from the pod template', () => {
    const dep = deploymentOf(podWith((p) => (p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' })));
    expectReported(dep, ['AppArmor'], 'spec.template.metadata.annotations');
  });

  it('checks the first workload in a list of documents, or in YAML text', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'app' }, spec: { ports: [{ port: 80 }] } };
    const bad = deploymentOf(podWith((p) => (p.spec['hostNetwork'] = true)));
    expectReported([service, bad, compliantPod()], ['Host Namespaces'], 'spec.template.spec.hostNetwork');
    expect(restrictedViolations([service, compliantPod(), bad])).toEqual([]);
    const text = [service, bad].map((d) => YAML.stringify(d)).join('---\n');
    expectReported(text, ['Host Namespaces'], 'spec.template.spec.hostNetwork');
  });

  it('refuses input with no workload', () => {
    expect(() => restrictedViolations({ kind: 'Service' })).toThrow(/no Pod/);
    expect(() => restrictedViolations([])).toThrow(/no Pod/);
  });
});
