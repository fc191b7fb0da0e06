export enum JobSourceErrorCode {
  /** The claim no longer holds the job (requeued as a zombie, completed elsewhere). */
  ClaimLost = 'claim_lost',
  /** The worker cannot continue at all (e.g. its token was revoked). */
  Fatal = 'fatal',
}

/** Thrown by a `JobSource` to tell the loop something it must act on, not just retry. */
export class JobSourceError extends Error {
  constructor(
    readonly code: JobSourceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'JobSourceError';
  }
}

export function isJobSourceError(err: unknown, code: JobSourceErrorCode): err is JobSourceError {
  return err instanceof JobSourceError && err.code === code;
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
