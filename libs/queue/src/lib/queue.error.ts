export enum QueueErrorCode {
  /** No such job in that workspace. */
  NotFound = 'not_found',
  /** The claim no longer holds the job: it was requeued, completed by another claim, or never held it. */
  StaleClaim = 'stale_claim',
  /** A log chunk starts past what is stored; `serverOffset` says where to resume. */
  LogOffsetGap = 'log_offset_gap',
  /** The job has already completed (cancel of a finished job). */
  AlreadyCompleted = 'already_completed',
  /**
   * Invalid input: a job to push (the message names the field), or a claim request, list
   * filter or worker ping out of range. Nothing was written.
   */
  InvalidJob = 'invalid_job',
}

/** A queue operation refused for a reason the caller can act on; apps map `code` to HTTP. */
export class QueueError extends Error {
  constructor(
    readonly code: QueueErrorCode,
    message: string,
    /** Only for LogOffsetGap: bytes of log the server holds for this claim. */
    readonly serverOffset?: number,
  ) {
    super(message);
    this.name = 'QueueError';
  }
}

export function staleClaim(jobId: string): QueueError {
  return new QueueError(QueueErrorCode.StaleClaim, `the claim no longer holds job ${jobId}`);
}

export function notFound(jobId: string): QueueError {
  return new QueueError(QueueErrorCode.NotFound, `no job ${jobId}`);
}

/** Is this a PostgreSQL error with that SQLSTATE (e.g. 23505 unique violation)? */
export function isPgError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
