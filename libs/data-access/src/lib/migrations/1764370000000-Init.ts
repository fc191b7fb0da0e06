import { MigrationInterface, QueryRunner } from 'typeorm';

/** Instance-wide settings (key → JSON), read by every app. */
export class Init1764370000000 implements MigrationInterface {
  name = 'Init1764370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE instance_setting (
        key        text PRIMARY KEY,
        value      jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE instance_setting`);
  }
}
