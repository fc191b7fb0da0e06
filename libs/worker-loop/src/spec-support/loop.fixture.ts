import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Clock, ScriptExecutor } from '@millrace/executor';
import { WorkerLoop, WorkerLoopOptions } from '../index';
import { MemoryJobSource } from './memory-job-source.fixture';

export interface RecordedLogger {
  warnings: string[];
  errors: string[];
  log(m: string): void;
  warn(m: string): void;
  error(m: string): void;
}

export function recordingLogger(): RecordedLogger {
  const l: RecordedLogger = { warnings: [], errors: [], log: () => undefined, warn: (m) => void l.warnings.push(m), error: (m) => void l.errors.push(m) };
  return l;
}

/**
 * A loop over an in-memory source and the real executor, with fast test intervals. The loop
 * runs on `clock` (the executor always on real time).
 */
export function startLoop(options: Partial<WorkerLoopOptions> = {}, source = new MemoryJobSource(), clock: Clock = new Clock()) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'millrace-loop-spec-'));
  const logger = recordingLogger();
  const executor = new ScriptExecutor({ path: process.env['PATH'] ?? '', logFlushIntervalMs: 50, killGraceMs: 500 });
  const loop = new WorkerLoop(
    source,
    executor,
    {
      workerName: 'wk-test-1',
      version: 'test',
      workerInstance: 'inst-1',
      heartbeatIntervalMs: 100,
      pingIntervalMs: 100,
      minBackoffMs: 10,
      maxBackoffMs: 50,
      logger,
      ...options,
    },
    clock,
  );
  loop.start();
  return {
    source,
    loop,
    executor,
    logger,
    file: (name: string) => path.join(scratch, name),
    read: (name: string) => readFileSync(path.join(scratch, name), 'utf8'),
    async close() {
      await loop.stop(0);
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

export { eventually, isAlive } from '@millrace/testing';
