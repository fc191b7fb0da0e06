// Shared by this library's specs only (not exported from the package).
import { testDatabaseUrl } from '@millrace/testing';
import { Pool } from 'pg';
import { QueueError, QueueErrorCode } from './queue.error';
import type { NewJob } from './queue.types';

export function testPool(max = 4): Pool {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max, application_name: 'millrace-queue-spec' });
  // An idle connection that the server ends (e.g. the harness dropping this file's database
  // with FORCE) makes the pool emit 'error'; unheard, that would crash the Jest worker. The
  // pool replaces the connection on next use, and queries still fail loudly.
  pool.on('error', () => undefined);
  return pool;
}

export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return { workspaceId: 'acme', kind: 'script', language: 'bash', content: 'echo hi', args: {}, tag: 'bash', createdBy: 'alice@example.com', ...overrides };
}

/** The QueueError a promise rejects with (fails the test when it resolves or throws another error). */
export async function queueErrorOf(promise: Promise<unknown>): Promise<QueueError> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  if (!(caught instanceof QueueError)) throw new Error(`expected a QueueError, got ${String(caught)}`);
  return caught;
}

export async function expectQueueError(promise: Promise<unknown>, code: QueueErrorCode): Promise<QueueError> {
  const error = await queueErrorOf(promise);
  expect(error.code).toBe(code);
  return error;
}
