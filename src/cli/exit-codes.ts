import type { ErrorCode } from '../errors.js';

/** Exit statuses fixed by the contract in DESIGN.md. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  engine: 3,
  image: 4,
  container: 5,
  notReady: 6,
  verify: 7,
  cannotRunReadOnly: 8,
  batch: 9,
  /** `drift` found changes the result does not expect (DESIGN.md leaves the code to that command); `diff` and `--baseline`: the config widened since the baseline. */
  drift: 10,
  interrupted: 130,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'USAGE':
    case 'RESULT_INVALID':
    case 'PARSE_FAILED':
      return EXIT.usage;
    case 'DOCKER_UNAVAILABLE':
      return EXIT.engine;
    case 'IMAGE_NOT_FOUND':
      return EXIT.image;
    case 'CONTAINER_FAILED':
      return EXIT.container;
    case 'NOT_READY':
      return EXIT.notReady;
    case 'VERIFY_FAILED':
      return EXIT.verify;
    case 'CANNOT_RUN_READ_ONLY':
      return EXIT.cannotRunReadOnly;
    case 'BATCH_FAILED':
      return EXIT.batch;
    case 'DRIFT_FOUND':
    case 'WIDENED':
      return EXIT.drift;
    case 'INTERRUPTED':
      return EXIT.interrupted;
    case 'EMIT_FAILED':
    case 'INTERNAL':
      return EXIT.internal;
    default: {
      const never: never = code;
      return never;
    }
  }
}
