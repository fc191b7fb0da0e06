import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { buildDataSourceOptions, DatabaseOptions } from './data-source.options';
import { PG_POOL } from './database.tokens';
import { runMigrationsWithLock } from './migrate';

export interface DatabaseModuleOptions extends DatabaseOptions {
  /** Apply pending migrations at start (under the advisory lock). */
  migrate: boolean;
}

/**
 * One TypeORM DataSource per app with a fixed-size pool; its `pg.Pool` is also exported as
 * `PG_POOL` for raw, parameterised hot-path SQL, so the app holds a single pool.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    const logger = new Logger('Database');
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...buildDataSourceOptions(options), retryAttempts: 5, retryDelay: 1000 }),
          dataSourceFactory: async (dsOptions) => {
            if (!dsOptions) throw new Error('missing data source options');
            const ds = await new DataSource(dsOptions).initialize();
            if (options.migrate) {
              const applied = await runMigrationsWithLock(ds);
              logger.log(applied.length ? `applied migrations: ${applied.map((m) => m.name).join(', ')}` : 'schema is up to date');
            }
            return ds;
          },
        }),
      ],
      providers: [
        {
          provide: PG_POOL,
          inject: [DataSource],
          useFactory: (ds: DataSource): Pool => (ds.driver as PostgresDriver).master as Pool,
        },
      ],
      exports: [TypeOrmModule, PG_POOL],
    };
  }
}

/** Readiness checks for an app with a database: `HealthModule.register(databaseReadiness())`. */
export function databaseReadiness() {
  return {
    inject: [TypeOrmHealthIndicator],
    useFactory: (db: TypeOrmHealthIndicator) => [() => db.pingCheck('database', { timeout: 2000 })],
  };
}
