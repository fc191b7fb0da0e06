import 'reflect-metadata';
import { testAdminUrl, withDatabase } from '@millrace/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source.options';
import { runMigrationsWithLock } from './migrate';
import { withAdminClient } from './migrate.test-util';
import { MIGRATIONS } from './migrations';
import { QueueParentJob1764377000000 } from './migrations/1764377000000-QueueParentJob';

describe('upgrading a database with queued jobs', () => {
  const db = `millrace_upg_${randomBytes(4).toString('hex')}`;
  const url = () => withDatabase(testAdminUrl(), db);

  beforeAll(() => withAdminClient((c) => c.query(`CREATE DATABASE ${db}`)));
  afterAll(() => withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)));

  it('QueueParentJob copies each queued job’s parent into its queue row', async () => {
    const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(QueueParentJob1764377000000));
    const old = await new DataSource({ ...buildDataSourceOptions({ url: url(), poolMax: 2, applicationName: 'upgrade-test' }), migrations: before }).initialize();
    const parent = randomUUID();
    const [child, orphan] = [randomUUID(), randomUUID()];
    try {
      await runMigrationsWithLock(old);
      for (const [id, parentJob] of [[child, parent], [orphan, null]] as const) {
        await old.query(
          `WITH j AS (INSERT INTO job (id, workspace_id, kind, tag, created_by, parent_job) VALUES ($1, 'w', 'script', 'bash', 'u', $2)
                      RETURNING id, seq, workspace_id, kind, tag, priority, scheduled_for)
           INSERT INTO job_queue (id, seq, workspace_id, kind, tag, priority, scheduled_for) SELECT * FROM j`,
          [id, parentJob],
        );
      }
    } finally {
      await old.destroy();
    }

    const current = await new DataSource(buildDataSourceOptions({ url: url(), poolMax: 2, applicationName: 'upgrade-test' })).initialize();
    try {
      const applied = await runMigrationsWithLock(current);
      expect(applied.map((m) => m.name)).toEqual(['QueueParentJob1764377000000']);
      const rows: Array<{ id: string; parent_job: string | null }> = await current.query(`SELECT id, parent_job FROM job_queue`);
      expect(Object.fromEntries(rows.map((r) => [r.id, r.parent_job]))).toEqual({ [child]: parent, [orphan]: null });
    } finally {
      await current.destroy();
    }
  });
});
