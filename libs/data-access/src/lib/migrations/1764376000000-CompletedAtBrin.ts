import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `job_completed` is appended in completion order, so a BRIN index serves the retention
 * scan (`completed_at < cutoff`) at a fraction of a B-tree's cost per completion: the
 * B-tree insert was one of the writes every completion paid on the hot path.
 */
export class CompletedAtBrin1764376000000 implements MigrationInterface {
  name = 'CompletedAtBrin1764376000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX job_completed_completed_at_idx`);
    await q.query(`CREATE INDEX job_completed_completed_at_brin ON job_completed USING brin (completed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX job_completed_completed_at_brin`);
    await q.query(`CREATE INDEX job_completed_completed_at_idx ON job_completed (completed_at)`);
  }
}
