import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hot queue row carries its job's `parent_job`, so a completion reads everything it
 * returns from the rows it deletes: before, FINISH_JOBS looked every completed job up in
 * `job` again (one primary-key probe per job, about an eighth of a 500-job completion) only
 * to hand `parent_job` to the completion hooks. A nullable column with no default is a
 * catalogue change; the backfill touches only queued jobs that have a parent.
 */
export class QueueParentJob1764377000000 implements MigrationInterface {
  name = 'QueueParentJob1764377000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job_queue ADD COLUMN parent_job uuid`);
    await q.query(`UPDATE job_queue q SET parent_job = j.parent_job FROM job j WHERE j.id = q.id AND j.parent_job IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job_queue DROP COLUMN parent_job`);
  }
}
