/** Thrown when the environment does not satisfy an app's config class; names every bad variable. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`Invalid configuration: ${problems.map((p) => p.message).join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

export interface ConfigProblem {
  /** The environment variable at fault. */
  variable: string;
  message: string;
}
