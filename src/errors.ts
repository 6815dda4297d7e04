/** The one error type of ro-profile: a code that maps to an exit status, and a hint saying what to do. */
export const ERROR_CODES = [
  'USAGE',
  'DOCKER_UNAVAILABLE',
  'IMAGE_NOT_FOUND',
  'CONTAINER_FAILED',
  'NOT_READY',
  'VERIFY_FAILED',
  'CANNOT_RUN_READ_ONLY',
  'BATCH_FAILED',
  'DRIFT_FOUND',
  'WIDENED',
  'RESULT_INVALID',
  'PARSE_FAILED',
  'EMIT_FAILED',
  'INTERRUPTED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface RoProfileErrorOptions {
  readonly hint?: string;
  readonly details?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

export class RoProfileError extends Error {
  override readonly name = 'RoProfileError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, options: RoProfileErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }
}

export function isRoProfileError(e: unknown): e is RoProfileError {
  return e instanceof RoProfileError;
}

/** The message of any thrown value, for wrapping and logging. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
