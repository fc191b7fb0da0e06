import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Completion NOTIFYs only for jobs somebody waits on. `pg_notify` takes a global lock until
 * its transaction's commit is flushed, so one per completion serialised every worker's
 * completions (bench:queue: unbatched claim+complete held near 0.5k jobs/s). A waiter now
 * flags the job first; completions of unwatched jobs commit without a NOTIFY. Adding a
 * column with a constant default is a catalogue change only (PostgreSQL ≥ 11).
 */
export class CompletionNotify1764375000000 implements MigrationInterface {
  name = 'CompletionNotify1764375000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job_queue ADD COLUMN notify_completion boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job_queue DROP COLUMN notify_completion`);
  }
}
