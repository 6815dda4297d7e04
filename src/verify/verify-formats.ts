/** The formats verification can run (--verify-with); alone here so the CLI's flags load without the launchers. */
export const VERIFY_FORMATS = ['run', 'compose', 'k8s'] as const;
export type VerifyFormat = (typeof VERIFY_FORMATS)[number];
