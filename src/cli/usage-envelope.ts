/** The usage-error envelope, for --json, before any command ran (yargs refused the flags); apart from output.ts so that a usage error loads no emitter. */
export function usageEnvelope(message: string, hint: string): string {
  return `${JSON.stringify({ outcome: 'error', error: { code: 'USAGE', message, hint } })}\n`;
}
