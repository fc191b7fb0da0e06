import 'reflect-metadata';
import { testAdminUrl, withDatabase } from '@millrace/testing';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, MIGRATIONS_TABLE } from './data-source.options';
import { runMigrationsWithLock } from './migrate';
import { withAdminClient } from './migrate.test-util';
import { MIGRATIONS } from './migrations';

describe('migrations at start', () => {
  const db = `millrace_mig_${randomBytes(4).toString('hex')}`;

  beforeAll(() => withAdminClient((c) => c.query(`CREATE DATABASE ${db}`)));
  afterAll(() => withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)));

  it('are applied exactly once when several replicas start together', async () => {
    const url = withDatabase(testAdminUrl(), db);
    const sources = await Promise.all(
      Array.from({ length: 4 }, (_, i) => new DataSource(buildDataSourceOptions({ url, poolMax: 2, applicationName: `replica-${i}` })).initialize()),
    );
    try {
      const applied = await Promise.all(sources.map((ds) => runMigrationsWithLock(ds)));
      // One replica applied everything; the others found nothing pending.
      expect(applied.map((a) => a.length).sort()).toEqual([0, 0, 0, MIGRATIONS.length]);
      const rows = await sources[0]!.query(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`);
      expect(rows.map((r: { name: string }) => r.name)).toEqual(MIGRATIONS.map((m) => new m().name));
      expect(await sources[1]!.showMigrations()).toBe(false);
    } finally {
      await Promise.all(sources.map((ds) => ds.destroy()));
    }
  });
});
