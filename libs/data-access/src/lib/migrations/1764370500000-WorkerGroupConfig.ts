import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Worker-group configs (`worker__<group>`): `{worker_tags: string[], init_bash?: string,
 * env?: Record<string,string>}`. Normal workers of a group re-read theirs, so changes apply
 * without a restart; no row means the defaults.
 */
export class WorkerGroupConfig1764370500000 implements MigrationInterface {
  name = 'WorkerGroupConfig1764370500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE worker_group_config (
        name       text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,49}$'),
        config     jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE worker_group_config`);
  }
}
