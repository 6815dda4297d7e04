import type { RunSpec } from '../model/run-spec.js';
import { userMountsOf } from '../syntax/volume-flag.js';

/** A Pod volume, its mount in the app container, and what the reader must know or provide. */
export interface PassedVolume {
  readonly volume: { name: string; persistentVolumeClaim?: { claimName: string; readOnly?: boolean }; hostPath?: { path: string }; emptyDir?: { medium?: 'Memory'; sizeLimit?: string } };
  readonly mount: { name: string; mountPath: string; readOnly?: boolean };
  readonly note: string;
}

const MiB = 1024 * 1024;

/**
 * The user's -v/--mount as Pod volumes they name: a named volume is a claim of that name, a host
 * path a hostPath (said to be node-local), an anonymous volume or a tmpfs an emptyDir. A relative
 * host path has no meaning to a kubelet: it is left to a note. Names come from `name`, which
 * keeps them unique in the Pod.
 */
export function passedVolumes(run: RunSpec, name: (base: string) => string, dnsLabel: (s: string) => string): { volumes: PassedVolume[]; notes: string[] } {
  const volumes: PassedVolume[] = [];
  const notes: string[] = [];
  for (const u of userMountsOf(run)) {
    const ro = u.readOnly ? { readOnly: true } : {};
    if (u.type === 'bind' && !(u.source ?? '').startsWith('/')) {
      notes.push(`your ${u.flag} names a host path relative to where docker runs; a kubelet has no such place: mount it from a ConfigMap, Secret or claim`);
      continue;
    }
    const vol = name(dnsLabel(`user-${(u.source ?? u.target).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`));
    const mount = { name: vol, mountPath: u.target, ...ro };
    if (u.type === 'volume') {
      const claimName = dnsLabel(u.source ?? '');
      volumes.push({ volume: { name: vol, persistentVolumeClaim: { claimName, ...ro } }, mount, note: `your ${u.flag}: provide a PersistentVolumeClaim named "${claimName}" (Docker's volume of that name holds the data today)` });
    } else if (u.type === 'bind') {
      volumes.push({ volume: { name: vol, hostPath: { path: u.source! } }, mount, note: `your ${u.flag}: a hostPath is this node's directory only, and Pod Security "baseline" refuses it; a ConfigMap, Secret or claim is the cluster's way` });
    } else {
      const size = u.sizeBytes !== undefined ? { sizeLimit: `${Math.max(1, Math.ceil(u.sizeBytes / MiB))}Mi` } : {};
      volumes.push({ volume: { name: vol, emptyDir: u.type === 'tmpfs' ? { medium: 'Memory', ...size } : {} }, mount, note: `your ${u.flag}: ${u.type === 'tmpfs' ? 'a memory-backed emptyDir' : 'an emptyDir (Docker made an anonymous volume)'}` });
    }
  }
  return { volumes, notes };
}

/** --env-file as an envFrom of a Secret the user fills from that file (values never leave it). */
export function envFromOf(run: RunSpec, dnsLabel: (s: string) => string): { envFrom: { secretRef: { name: string } }[]; notes: string[] } {
  const names = run.envFiles.map((f) => dnsLabel(`${(f.split('/').pop() ?? f).replace(/^\./, '').replace(/\.[^.]*$/, '') || 'env'}-env`));
  return {
    envFrom: [...new Set(names)].map((name) => ({ secretRef: { name } })),
    notes: run.envFiles.map((f, i) => `--env-file ${f}: kubectl create secret generic ${names[i]!} --from-env-file=${f}`),
  };
}

/** --network: host is hostNetwork; a user-defined network or none has no Pod equivalent (a Pod shares the cluster's network). */
export function networkOf(run: RunSpec): { hostNetwork?: true; note?: string } {
  const n = run.network;
  if (n === undefined || n === 'bridge' || n === 'default') return {};
  if (n === 'host') return { hostNetwork: true, note: '--network host: the Pod shares the node\'s network (hostNetwork); Pod Security "baseline" refuses it' };
  if (n === 'none') return { note: '--network none: a Pod always has the cluster network; a NetworkPolicy that denies all traffic is the nearest' };
  return { note: `--network ${n}: a Pod has the cluster network, not Docker's; reach the other services by their Service names` };
}
