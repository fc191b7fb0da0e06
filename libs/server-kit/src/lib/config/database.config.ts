import { IsBoolean, IsInt, Matches, Max, Min } from 'class-validator';
import { BaseConfig } from './base.config';
import { ToBool, ToInt } from './env.transformers';
import { Secret } from './secret.decorator';

/** Settings of apps that hold a PostgreSQL connection. */
export class DatabaseConfig extends BaseConfig {
  @Secret()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  /** Connections in this process's pool; never grows with load. */
  @ToInt()
  @IsInt()
  @Min(2)
  @Max(200)
  DB_POOL_MAX = 10;

  /** Skip applying pending migrations at start (when a release job migrates instead). */
  @ToBool()
  @IsBoolean()
  DB_SKIP_MIGRATIONS = false;
}
