import type { DataSource, Migration } from 'typeorm';

/** Advisory-lock key held while migrating ("millrace" in ASCII, truncated to an int8). */
export const MIGRATION_LOCK_KEY = '7883917384227901029';

/**
 * Applies pending migrations while holding a session advisory lock on a dedicated
 * connection, so replicas that start together migrate one after the other: the first
 * applies, the rest find nothing pending. Each migration runs in its own transaction.
 */
export async function runMigrationsWithLock(ds: DataSource): Promise<Migration[]> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      return await ds.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
