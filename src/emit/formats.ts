/** The formats a result is emitted in (--format); alone here so the CLI's flags load without the emitters. */
export const FORMATS = ['run', 'compose', 'k8s', 'json', 'report', 'sarif', 'junit'] as const;
export type Format = (typeof FORMATS)[number];
