import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { capText, ExecutionErrorCode } from '../execution.error';
import type { ExecutionError } from '../execution.types';
import type { ObservedOutput, ProcessExit, RunOutcome } from './language-runner.types';

export type JsonFileRead =
  | { kind: 'absent' }
  | { kind: 'too-large'; bytes: number }
  | { kind: 'invalid'; message: string }
  | { kind: 'ok'; value: unknown };

/**
 * Reads a JSON file written by a job, refusing to load one over `maxBytes` into memory and
 * refusing a symlink (the job controls its directory: `result.json -> /etc/shadow` must not be
 * read by the worker). Synchronous: one open, fstat and read of a file capped at `maxBytes`,
 * on the path from a job's exit to its report (see TempDirs on thread-pool hops).
 */
export async function readJsonFile(path: string, maxBytes: number): Promise<JsonFileRead> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    if (code === 'ELOOP') return { kind: 'invalid', message: 'a symbolic link, not a regular file' };
    throw err;
  }
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) return { kind: 'invalid', message: 'not a regular file' };
    if (s.size > maxBytes) return { kind: 'too-large', bytes: s.size };
    // One byte more than fstat said: a file still growing (a process that escaped the job's
    // group) is refused rather than parsed half-written.
    const buf = Buffer.allocUnsafe(s.size + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      n += got;
      if (got === 0 || n === buf.length) break;
    }
    if (n > s.size) return { kind: 'invalid', message: 'it grew while it was read' };
    try {
      return { kind: 'ok', value: JSON.parse(buf.toString('utf8', 0, n)) as unknown };
    } catch (err) {
      return { kind: 'invalid', message: err instanceof Error ? err.message : String(err) };
    }
  } finally {
    closeSync(fd);
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
