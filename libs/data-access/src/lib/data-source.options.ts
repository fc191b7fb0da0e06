import * as pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseOptions {
  url: string;
  /** Size of this process's connection pool; it never grows with load. */
  poolMax: number;
  /** Shows in pg_stat_activity, so connections can be counted per app. */
  applicationName: string;
}

export const MIGRATIONS_TABLE = 'millrace_migrations';

export function buildDataSourceOptions(o: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    // Explicit driver: lets bundlers see the dependency instead of a dynamic require.
    driver: pg,
    url: o.url,
    applicationName: o.applicationName,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: o.poolMax, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000 },
  };
}
