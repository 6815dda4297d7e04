import YAML from 'yaml';

/**
 * An independent checker of the Kubernetes Pod Security Standards, "restricted" profile (which
 * includes every "baseline" control), written from the published rules only:
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/
 *
 * It knows nothing of how ro-profile writes its manifests: it reads a Pod (or a workload's pod
 * template) the way the page states the rules, field by field, and says in words which rule each
 * offending field breaks. An empty list means the pod passes.
 *
 * Linux pods are the subject; the three controls the page marks "Linux only" (Privilege
 * Escalation, Seccomp and restricted Capabilities) are skipped when `spec.os.name` is `windows`,
 * as the page says. The relaxations for pods in a user namespace (`hostUsers: false`) are not
 * applied: this checker is the stricter reading.
 */

// ---------------------------------------------------------------------------------------------
// The allowed values, as the page lists them.

/** Baseline "Capabilities": the only values `capabilities.add` may hold. */
const BASELINE_ADDABLE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Restricted "Capabilities": the only capability that may be added back after dropping ALL. */
const RESTRICTED_ADDABLE_CAPABILITIES: ReadonlySet<string> = new Set(['NET_BIND_SERVICE']);

/** Baseline "Sysctls": the safe subset `spec.securityContext.sysctls[*].name` may name. */
const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

/** Baseline "SELinux": the types `seLinuxOptions.type` may name ("" and undefined allowed too). */
const SELINUX_TYPES: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** Baseline "AppArmor": `appArmorProfile.type` (undefined allowed too). */
const APPARMOR_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** Baseline "Seccomp": anything but Unconfined (undefined allowed too). Restricted: one of these, required. */
const SECCOMP_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

/** Restricted "Volume Types": every volume must set one of these to a non-null value. */
const RESTRICTED_VOLUME_SOURCES: readonly string[] = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

/** The fields of a volume that name it rather than choose its source. */
const VOLUME_NON_SOURCE_FIELDS: ReadonlySet<string> = new Set(['name']);

/** Baseline "Host Probes / Lifecycle Hooks": the handlers whose `host` must be undefined or "". */
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HOOKS = ['postStart', 'preStop'] as const;
const HOST_HANDLERS = ['httpGet', 'tcpSocket'] as const;

/** The three lists whose every element is a container, in the order the page names them. */
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

// ---------------------------------------------------------------------------------------------
// Reading untyped documents.

type Obj = Readonly<Record<string, unknown>>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

function list(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Undefined and null are both "undefined/nil" on the page. */
function isNil(v: unknown): v is null | undefined {
  return v === undefined || v === null;
}

function show(v: unknown): string {
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

// ---------------------------------------------------------------------------------------------
// Finding the pod.

interface PodUnderTest {
  /** The pod's metadata (for a workload, the template's). */
  readonly metadata: Obj;
  /** The pod spec. */
  readonly spec: Obj;
  /** Where metadata and spec sit in the document, for the messages: `metadata` / `spec` or `spec.template.metadata` / `spec.template.spec`. */
  readonly metadataPath: string;
  readonly specPath: string;
}

/** Kinds whose pod template is at `spec.template` (apps/v1 and batch/v1). */
const TEMPLATED_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

function podOf(doc: unknown): PodUnderTest | undefined {
  if (!isObj(doc)) return undefined;
  const kind = doc['kind'];
  if (kind === 'Pod') return { metadata: obj(doc['metadata']), spec: obj(doc['spec']), metadataPath: 'metadata', specPath: 'spec' };
  if (typeof kind === 'string' && TEMPLATED_KINDS.has(kind)) {
    const template = obj(obj(doc['spec'])['template']);
    return { metadata: obj(template['metadata']), spec: obj(template['spec']), metadataPath: 'spec.template.metadata', specPath: 'spec.template.spec' };
  }
  if (kind === 'CronJob') {
    const template = obj(obj(obj(obj(doc['spec'])['jobTemplate'])['spec'])['template']);
    return {
      metadata: obj(template['metadata']),
      spec: obj(template['spec']),
      metadataPath: 'spec.jobTemplate.spec.template.metadata',
      specPath: 'spec.jobTemplate.spec.template.spec',
    };
  }
  return undefined;
}

/** A single document, a list of documents (the first workload counts) or YAML text (likewise). */
function findPod(input: unknown): PodUnderTest {
  const docs = typeof input === 'string' ? YAML.parseAllDocuments(input).map((d) => d.toJS() as unknown) : Array.isArray(input) ? input : [input];
  for (const doc of docs) {
    const pod = podOf(doc);
    if (pod) return pod;
  }
  const kinds = docs.map((d) => show(obj(d)['kind'])).join(', ');
  throw new Error(`restrictedViolations: no Pod or pod-templated workload among the documents (kinds: ${kinds || 'none'})`);
}

// ---------------------------------------------------------------------------------------------
// The controls.

interface ContainerUnderTest {
  /** e.g. `spec.initContainers[0]`. */
  readonly path: string;
  /** e.g. `spec.initContainers[0] ("setup")`, for the messages. */
  readonly label: string;
  readonly container: Obj;
  readonly securityContext: Obj;
}

function containersOf(pod: PodUnderTest): ContainerUnderTest[] {
  const out: ContainerUnderTest[] = [];
  for (const listName of CONTAINER_LISTS) {
    list(pod.spec[listName]).forEach((c, i) => {
      const container = obj(c);
      const path = `${pod.specPath}.${listName}[${i}]`;
      const name = container['name'];
      out.push({ path, label: typeof name === 'string' ? `${path} (${JSON.stringify(name)})` : path, container, securityContext: obj(container['securityContext']) });
    });
  }
  return out;
}

/** The Pod Security Standards "restricted" violations of a Pod or workload, one message each; [] when it passes. */
export function restrictedViolations(doc: unknown): string[] {
  const pod = findPod(doc);
  const spec = pod.spec;
  const sp = pod.specPath;
  const podSc = obj(spec['securityContext']);
  const podScPath = `${sp}.securityContext`;
  const containers = containersOf(pod);
  const linux = obj(spec['os'])['name'] !== 'windows';
  const out: string[] = [];
  const report = (control: string, message: string): void => {
    out.push(`[${control}] ${message}`);
  };

  // Baseline: HostProcess.
  {
    const v = obj(podSc['windowsOptions'])['hostProcess'];
    if (!isNil(v) && v !== false) report('HostProcess', `${podScPath}.windowsOptions.hostProcess must be undefined or false, got ${show(v)}`);
    for (const c of containers) {
      const cv = obj(c.securityContext['windowsOptions'])['hostProcess'];
      if (!isNil(cv) && cv !== false) report('HostProcess', `${c.label}: securityContext.windowsOptions.hostProcess must be undefined or false, got ${show(cv)}`);
    }
  }

  // Baseline: Host Namespaces.
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    const v = spec[field];
    if (!isNil(v) && v !== false) report('Host Namespaces', `${sp}.${field} must be undefined or false, got ${show(v)}`);
  }

  // Baseline: Privileged Containers.
  for (const c of containers) {
    const v = c.securityContext['privileged'];
    if (!isNil(v) && v !== false) report('Privileged Containers', `${c.label}: securityContext.privileged must be undefined or false, got ${show(v)}`);
  }

  // Baseline: Capabilities (add only from the default set).
  for (const c of containers) {
    const add = obj(c.securityContext['capabilities'])['add'];
    for (const cap of list(add)) {
      if (typeof cap !== 'string' || !BASELINE_ADDABLE_CAPABILITIES.has(cap)) {
        report('Capabilities (baseline)', `${c.label}: securityContext.capabilities.add may not add ${show(cap)}; only ${[...BASELINE_ADDABLE_CAPABILITIES].join(', ')}`);
      }
    }
  }

  // Baseline: HostPath Volumes.
  list(spec['volumes']).forEach((vol, i) => {
    const v = obj(vol)['hostPath'];
    if (!isNil(v)) report('HostPath Volumes', `${sp}.volumes[${i}] (${show(obj(vol)['name'])}): hostPath must be undefined`);
  });

  // Baseline: Host Ports.
  for (const c of containers) {
    list(c.container['ports']).forEach((p, i) => {
      const v = obj(p)['hostPort'];
      if (!isNil(v) && v !== 0) report('Host Ports', `${c.label}: ports[${i}].hostPort must be undefined or 0, got ${show(v)}`);
    });
  }

  // Baseline: Host Probes / Lifecycle Hooks.
  for (const c of containers) {
    const handlers: [string, unknown][] = [
      ...PROBES.map((p): [string, unknown] => [p, c.container[p]]),
      ...HOOKS.map((h): [string, unknown] => [`lifecycle.${h}`, obj(c.container['lifecycle'])[h]]),
    ];
    for (const [where, handler] of handlers) {
      for (const kind of HOST_HANDLERS) {
        const v = obj(obj(handler)[kind])['host'];
        if (!isNil(v) && v !== '') report('Host Probes / Lifecycle Hooks', `${c.label}: ${where}.${kind}.host must be undefined or "", got ${show(v)}`);
      }
    }
  }

  // Baseline: AppArmor (the securityContext field and the older annotations).
  {
    const v = obj(podSc['appArmorProfile'])['type'];
    if (!isNil(v) && !(typeof v === 'string' && APPARMOR_TYPES.has(v))) {
      report('AppArmor', `${podScPath}.appArmorProfile.type must be undefined, RuntimeDefault or Localhost, got ${show(v)}`);
    }
    for (const c of containers) {
      const cv = obj(c.securityContext['appArmorProfile'])['type'];
      if (!isNil(cv) && !(typeof cv === 'string' && APPARMOR_TYPES.has(cv))) {
        report('AppArmor', `${c.label}: securityContext.appArmorProfile.type must be undefined, RuntimeDefault or Localhost, got ${show(cv)}`);
      }
    }
    for (const [key, value] of Object.entries(obj(pod.metadata['annotations']))) {
      if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX) || isNil(value)) continue;
      if (!(value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/')))) {
        report('AppArmor', `${pod.metadataPath}.annotations[${JSON.stringify(key)}] must be undefined, runtime/default or localhost/*, got ${show(value)}`);
      }
    }
  }

  // Baseline: SELinux.
  {
    const contexts: [string, Obj][] = [[`${podScPath}.seLinuxOptions`, obj(podSc['seLinuxOptions'])]];
    for (const c of containers) contexts.push([`${c.label}: securityContext.seLinuxOptions`, obj(c.securityContext['seLinuxOptions'])]);
    for (const [where, options] of contexts) {
      const type = options['type'];
      if (!isNil(type) && !(typeof type === 'string' && SELINUX_TYPES.has(type))) {
        report('SELinux', `${where}.type must be undefined, "", ${[...SELINUX_TYPES].filter(Boolean).join(', ')}, got ${show(type)}`);
      }
      for (const field of ['user', 'role'] as const) {
        const v = options[field];
        if (!isNil(v) && v !== '') report('SELinux', `${where}.${field} must be undefined or "", got ${show(v)}`);
      }
    }
  }

  // Baseline: /proc Mount Type.
  for (const c of containers) {
    const v = c.securityContext['procMount'];
    if (!isNil(v) && v !== 'Default') report('/proc Mount Type', `${c.label}: securityContext.procMount must be undefined or Default, got ${show(v)}`);
  }

  // Baseline: Seccomp (never Unconfined; undefined, RuntimeDefault or Localhost).
  const podSeccomp = obj(podSc['seccompProfile'])['type'];
  {
    if (!isNil(podSeccomp) && !(typeof podSeccomp === 'string' && SECCOMP_TYPES.has(podSeccomp))) {
      report('Seccomp (baseline)', `${podScPath}.seccompProfile.type must not be ${show(podSeccomp)}: undefined, RuntimeDefault or Localhost`);
    }
    for (const c of containers) {
      const v = obj(c.securityContext['seccompProfile'])['type'];
      if (!isNil(v) && !(typeof v === 'string' && SECCOMP_TYPES.has(v))) {
        report('Seccomp (baseline)', `${c.label}: securityContext.seccompProfile.type must not be ${show(v)}: undefined, RuntimeDefault or Localhost`);
      }
    }
  }

  // Baseline: Sysctls.
  list(podSc['sysctls']).forEach((s, i) => {
    const name = obj(s)['name'];
    if (!(typeof name === 'string' && SAFE_SYSCTLS.has(name))) {
      report('Sysctls', `${podScPath}.sysctls[${i}].name ${show(name)} is not in the safe set (${[...SAFE_SYSCTLS].join(', ')})`);
    }
  });

  // Restricted: Volume Types.
  list(spec['volumes']).forEach((vol, i) => {
    const volume = obj(vol);
    if (RESTRICTED_VOLUME_SOURCES.some((f) => !isNil(volume[f]))) return;
    const sources = Object.keys(volume).filter((k) => !VOLUME_NON_SOURCE_FIELDS.has(k) && !isNil(volume[k]));
    report(
      'Volume Types',
      `${sp}.volumes[${i}] (${show(volume['name'])}) must be one of ${RESTRICTED_VOLUME_SOURCES.join(', ')}, got ${sources.length > 0 ? sources.join(', ') : 'no source'}`,
    );
  });

  // Restricted: Privilege Escalation (Linux only).
  if (linux) {
    for (const c of containers) {
      const v = c.securityContext['allowPrivilegeEscalation'];
      if (v !== false) report('Privilege Escalation', `${c.label}: securityContext.allowPrivilegeEscalation must be false, got ${show(v)}`);
    }
  }

  // Restricted: Running as Non-root. Container fields may be unset when the pod-level one is true;
  // the pod-level field may be unset when every container sets it. An explicit false is never allowed.
  {
    const podValue = podSc['runAsNonRoot'];
    if (!isNil(podValue) && podValue !== true) report('Running as Non-root', `${podScPath}.runAsNonRoot must be true, got ${show(podValue)}`);
    for (const c of containers) {
      const v = c.securityContext['runAsNonRoot'];
      if (!isNil(v) && v !== true) report('Running as Non-root', `${c.label}: securityContext.runAsNonRoot must be true, got ${show(v)}`);
      else if (isNil(v) && podValue !== true) {
        report('Running as Non-root', `${c.label}: securityContext.runAsNonRoot must be true (or ${podScPath}.runAsNonRoot true), got ${show(v)} with pod-level ${show(podValue)}`);
      }
    }
  }

  // Restricted: Running as Non-root user.
  {
    const podValue = podSc['runAsUser'];
    if (podValue === 0) report('Running as Non-root user', `${podScPath}.runAsUser must not be 0`);
    for (const c of containers) {
      if (c.securityContext['runAsUser'] === 0) report('Running as Non-root user', `${c.label}: securityContext.runAsUser must not be 0`);
    }
  }

  // Restricted: Seccomp (Linux only). Every container's effective profile, its own or the pod's,
  // must be RuntimeDefault or Localhost; Unconfined is already reported by the baseline check.
  if (linux) {
    const podOk = typeof podSeccomp === 'string' && SECCOMP_TYPES.has(podSeccomp);
    for (const c of containers) {
      const v = obj(c.securityContext['seccompProfile'])['type'];
      if (isNil(v) && !podOk) {
        report(
          'Seccomp (restricted)',
          `${c.label}: securityContext.seccompProfile.type must be RuntimeDefault or Localhost (or ${podScPath}.seccompProfile.type), got undefined with pod-level ${show(podSeccomp)}`,
        );
      }
    }
  }

  // Restricted: Capabilities (Linux only): drop ALL, add back NET_BIND_SERVICE at most.
  if (linux) {
    for (const c of containers) {
      const caps = obj(c.securityContext['capabilities']);
      const drop = list(caps['drop']);
      if (!drop.includes('ALL')) report('Capabilities (restricted)', `${c.label}: securityContext.capabilities.drop must include "ALL", got ${show(caps['drop'])}`);
      for (const cap of list(caps['add'])) {
        if (typeof cap !== 'string' || !RESTRICTED_ADDABLE_CAPABILITIES.has(cap)) {
          report('Capabilities (restricted)', `${c.label}: securityContext.capabilities.add may only add NET_BIND_SERVICE, got ${show(cap)}`);
        }
      }
    }
  }

  return out;
}
