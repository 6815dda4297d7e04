/** What --format k8s writes (--k8s-kind); alone here so the CLI's flags load without the emitter. */
export const K8S_KINDS = ['pod', 'deployment'] as const;
export type K8sKind = (typeof K8S_KINDS)[number];
