/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL and exits.
 * Safe to run while apps start: it takes the same advisory lock they do.
 */
import 'reflect-metadata';
import { DatabaseConfig, loadConfig, runMain } from '@millrace/server-kit';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../lib/data-source.options';
import { runMigrationsWithLock } from '../lib/migrate';

runMain('migrate', async () => {
  const config = loadConfig(DatabaseConfig);
  const ds = await new DataSource(buildDataSourceOptions({ url: config.DATABASE_URL, poolMax: 2, applicationName: 'millrace-migrate' })).initialize();
  try {
    const applied = await runMigrationsWithLock(ds);
    const msg = applied.length ? `applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}` : 'schema is up to date';
    process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), app: 'migrate', msg })}\n`);
  } finally {
    await ds.destroy();
  }
});
