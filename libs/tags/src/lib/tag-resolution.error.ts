export enum TagResolutionErrorCode {
  MissingArgument = 'missing_argument',
  UnusableArgument = 'unusable_argument',
  InvalidTag = 'invalid_tag',
}

/** A tag that cannot be resolved from the push's inputs: the caller's mistake (a 400). */
export class TagResolutionError extends Error {
  constructor(
    readonly code: TagResolutionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TagResolutionError';
  }
}
