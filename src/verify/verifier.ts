import type { Verifier } from '../pipeline/ports.js';
import { readStoppedLogFiles, redactVerification } from './evidence.js';
import { hardenResult } from './harden.js';
import type { Launcher } from './launcher.js';
import { verifyResult } from './verify.js';

/** The pipeline's Verifier port, verifying through `launcher` (the CLI hands it to profileImage). */
export function verifierFor(launcher: Launcher): Verifier {
  return {
    runtimeVersion: () => launcher.version(),
    readStoppedLogFiles,
    verify: (result, o) => verifyResult(result, { ...o, launcher }),
    harden: (result, facts, o) => hardenResult(result, facts, { ...o, launcher }),
    redact: redactVerification,
  };
}
