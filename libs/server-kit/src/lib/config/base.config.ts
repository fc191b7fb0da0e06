import { IsIn, IsInt, Max, Min } from 'class-validator';
import { ToInt } from './env.transformers';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings every app shares. */
export class BaseConfig {
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** Seconds to let in-flight work finish on SIGTERM before the process exits anyway. */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(3600)
  SHUTDOWN_GRACE_S = 10;
}
