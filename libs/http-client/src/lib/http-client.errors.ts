export enum HttpClientErrorCode {
  /** 401/403: the credentials were refused; retrying cannot help. */
  AuthRejected = 'auth_rejected',
  /** Another 4xx: the request itself is wrong (or in conflict); retrying cannot help. */
  Rejected = 'rejected',
  /** Transient failures went on past the retry budget. */
  GaveUp = 'gave_up',
  /** The caller aborted the request. */
  Aborted = 'aborted',
}

/** A failed call, after whatever retries its policy allowed. */
export class HttpClientError extends Error {
  constructor(
    readonly code: HttpClientErrorCode,
    message: string,
    readonly status?: number,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'HttpClientError';
  }
}
