import { readFile, stat } from 'node:fs/promises';
import { capText, ExecutionErrorCode } from '../execution.error';
import type { ExecutionError } from '../execution.types';
import type { ObservedOutput, ProcessExit, RunOutcome } from './language-runner.types';

export type JsonFileRead =
  | { kind: 'absent' }
  | { kind: 'too-large'; bytes: number }
  | { kind: 'invalid'; message: string }
  | { kind: 'ok'; value: unknown };

/** Reads a JSON file written by a job, refusing to load one over `maxBytes` into memory. */
export async function readJsonFile(path: string, maxBytes: number): Promise<JsonFileRead> {
  let bytes: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) return { kind: 'invalid', message: 'not a regular file' };
    bytes = s.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw err;
  }
  if (bytes > maxBytes) return { kind: 'too-large', bytes };
  const text = await readFile(path, 'utf8');
  try {
    return { kind: 'ok', value: JSON.parse(text) as unknown };
  } catch (err) {
    return { kind: 'invalid', message: err instanceof Error ? err.message : String(err) };
  }
}

export function resultTooLarge(bytes: number, maxBytes: number): RunOutcome {
  return {
    success: false,
    error: { name: ExecutionErrorCode.ResultTooLarge, message: `the result is ${bytes} bytes, over the ${maxBytes}-byte limit` },
  };
}

/** The failure for a process that ended badly without reporting an error itself. */
export function exitFailure(exit: ProcessExit, output: ObservedOutput, what: string): RunOutcome {
  const how =
    exit.signal !== null
      ? { name: ExecutionErrorCode.KilledBySignal, text: `${what} was killed by signal ${exit.signal}` }
      : exit.code === 0
        ? { name: ExecutionErrorCode.NonZeroExit, text: `${what} exited with code 0 before main returned a result` }
        : { name: ExecutionErrorCode.NonZeroExit, text: `${what} exited with code ${exit.code ?? 'unknown'}` };
  const tail = output.logTail ? `; last output:\n${output.logTail}` : '';
  return { success: false, error: { name: how.name, message: capText(`${how.text}${tail}`) } };
}

/** Reads the error a wrapper recorded; undefined when there is none. */
export async function readWrapperError(path: string): Promise<ExecutionError | undefined> {
  const read = await readJsonFile(path, 1024 * 1024);
  switch (read.kind) {
    case 'absent':
      return undefined;
    case 'too-large':
    case 'invalid':
      return { name: ExecutionErrorCode.NonZeroExit, message: 'the script failed and its error report could not be read' };
    case 'ok': {
      const v = read.value as { name?: unknown; message?: unknown; stack?: unknown } | null;
      return {
        name: typeof v?.name === 'string' ? v.name : 'Error',
        message: capText(typeof v?.message === 'string' ? v.message : String(v?.message)),
        ...(typeof v?.stack === 'string' ? { stack: capText(v.stack) } : {}),
      };
    }
  }
}
