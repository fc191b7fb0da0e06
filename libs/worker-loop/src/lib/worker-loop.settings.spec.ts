import { ScriptExecutor } from '@millrace/executor';
import { MemoryJobSource } from '../spec-support/memory-job-source.fixture';
import { WorkerLoop, WorkerLoopOptions } from './worker-loop.service';
import { DEFAULT_WORKER_LOOP_SETTINGS } from './worker-loop.settings';

function build(options: Partial<WorkerLoopOptions>): WorkerLoop {
  return new WorkerLoop(new MemoryJobSource(), new ScriptExecutor({ path: '' }), { workerName: 'wk', version: 'test', workerInstance: 'i', ...options });
}

describe('worker loop settings', () => {
  it('do not prefetch by default, and hold a prefetched job for a second', () => {
    expect(DEFAULT_WORKER_LOOP_SETTINGS).toMatchObject({ prefetch: 0, prefetchHoldMs: 1000 });
    expect(build({}).settings).toMatchObject({ prefetch: 0, prefetchHoldMs: 1000 });
  });

  it.each([0, 1])('accept prefetch %p', (prefetch) => {
    expect(build({ prefetch }).settings.prefetch).toBe(prefetch);
  });

  it.each([2, -1, 0.5, NaN])('refuse prefetch %p', (prefetch) => {
    expect(() => build({ prefetch })).toThrow(new RangeError('prefetch must be 0 or 1'));
  });

  it.each([-1, NaN, Infinity])('refuse prefetchHoldMs %p', (prefetchHoldMs) => {
    expect(() => build({ prefetchHoldMs })).toThrow(new RangeError('prefetchHoldMs must be a non-negative number'));
  });

  it.each([0, 1.5])('refuse concurrency %p', (concurrency) => {
    expect(() => build({ concurrency })).toThrow(new RangeError('concurrency must be a positive integer'));
  });
});
