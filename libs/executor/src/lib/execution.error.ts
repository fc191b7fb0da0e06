/**
 * Why a run failed when the script itself did not raise: the `name` of the result's error,
 * so clients can tell a timeout from a crash without parsing messages. Errors raised by the
 * script keep their own name (`ValueError`, `TypeError`, …).
 */
export enum ExecutionErrorCode {
  /** The process exited with a non-zero code (or before main returned). */
  NonZeroExit = 'NonZeroExit',
  /** The process was killed by a signal the executor did not send (OOM killer, kill -9 …). */
  KilledBySignal = 'KilledBySignal',
  Canceled = 'Canceled',
  Timeout = 'Timeout',
  ResultTooLarge = 'ResultTooLarge',
  ResultNotSerializable = 'ResultNotSerializable',
  /** bash wrote a `result.json` that is not JSON. */
  InvalidResult = 'InvalidResult',
  /** The job has no runnable code, or main is missing. */
  InvalidJob = 'InvalidJob',
  /** The interpreter could not be started, or the job directory could not be prepared. */
  SpawnFailed = 'SpawnFailed',
}

/** Caps a message so a runaway exception text cannot bloat the completed job row. */
export function capText(text: string, maxChars = 10_000): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}… (truncated)`;
}
