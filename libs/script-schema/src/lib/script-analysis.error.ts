export enum ScriptAnalysisErrorCode {
  /** The compiler or parser refused the code; the message carries its diagnostic. */
  SyntaxError = 'syntax_error',
  /** No top-level `main` to call. */
  NoMain = 'no_main',
  /** `main` exists but its signature cannot be mapped to named arguments. */
  UnsupportedSignature = 'unsupported_signature',
  /** The parser did not finish in time (pathological input). */
  TooComplex = 'too_complex',
  /** The parser could not run at all (python3 missing, crashed): not the author's fault. */
  ParserUnavailable = 'parser_unavailable',
}

/** Why a script could not be analysed. Apps map the code to an HTTP status. */
export class ScriptAnalysisError extends Error {
  constructor(
    readonly code: ScriptAnalysisErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ScriptAnalysisError';
  }
}
