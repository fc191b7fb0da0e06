import type { Pool } from 'pg';
import { testDatabaseUrl } from '@millrace/testing';
import { NewJobListener } from './new-job.listener';
import { PgJobQueue } from './pg-job-queue.repository';
import { newJob, testPool } from './queue.test-util';

/** Collects callbacks; `next()` resolves with the next one (queued if it came already). */
class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: Array<(item: T) => void> = [];
  readonly all: T[] = [];

  push = (item: T): void => {
    this.all.push(item);
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  };

  next(): Promise<T> {
    const item = this.items.shift();
    return item !== undefined ? Promise.resolve(item) : new Promise((resolve) => this.waiters.push(resolve));
  }
}

describe('NewJobListener', () => {
  let pool: Pool;
  let queue: PgJobQueue;

  beforeAll(() => {
    pool = testPool();
    queue = new PgJobQueue(pool);
  });
  afterAll(() => pool.end());

  it('hears a batch push as one callback carrying its distinct tags', async () => {
    const listener = new NewJobListener(testDatabaseUrl());
    const inbox = new Inbox<string[]>();
    try {
      await listener.start(inbox.push);
      await queue.pushMany(['a', 'b', 'a', 'c', 'b', 'a'].map((tag) => newJob({ tag })));
      expect((await inbox.next()).sort()).toEqual(['a', 'b', 'c']);
      // Notifications arrive in commit order: anything else from the batch would come first.
      await queue.push(newJob({ tag: 'z' }));
      expect(await inbox.next()).toEqual(['z']);
      expect(inbox.all).toHaveLength(2);
    } finally {
      await listener.close();
    }
  });

  it('splits a push of many distinct tags into few notifications under the payload limit', async () => {
    const listener = new NewJobListener(testDatabaseUrl());
    const inbox = new Inbox<string[]>();
    try {
      await listener.start(inbox.push);
      const tags = Array.from({ length: 150 }, (_, i) => `${'x'.repeat(95)}${String(i).padStart(3, '0')}`);
      await queue.pushMany(tags.map((tag) => newJob({ tag })));
      const heard: string[] = [];
      while (heard.length < tags.length) heard.push(...(await inbox.next()));
      expect(heard.sort()).toEqual([...tags].sort());
      expect(inbox.all).toHaveLength(3);
    } finally {
      await listener.close();
    }
  });

  it('reconnects after its connection is killed and hears pushes again', async () => {
    const reconnected = new Inbox<true>();
    const listener = new NewJobListener(testDatabaseUrl(), { applicationName: 'listener-to-kill', onReconnect: () => reconnected.push(true) });
    const inbox = new Inbox<string[]>();
    try {
      await listener.start(inbox.push);
      const { rows } = await pool.query<{ killed: boolean }>(`SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = 'listener-to-kill' AND datname = current_database()`);
      expect(rows).toEqual([{ killed: true }]);
      await reconnected.next();
      await queue.push(newJob({ tag: 'after-reconnect' }));
      expect(await inbox.next()).toEqual(['after-reconnect']);
    } finally {
      await listener.close();
    }
  });
});
