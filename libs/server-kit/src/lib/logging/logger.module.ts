import { DynamicModule, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { LogLevel } from '../config/base.config';

/** Header and field paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-job-token"]',
  'res.headers["set-cookie"]',
  'password',
  'token',
  '*.password',
  '*.token',
];

const QUIET_ROUTES = ['/health/live', '/health/ready', '/metrics'];

export interface LoggerModuleOptions {
  /**
   * Routes (e.g. `api/agent_workers/update_ping`) kept out of the HTTP logging middleware
   * entirely: no access log line and none of its per-request work (a child logger with the
   * serialised, redacted request, built even when the level drops the line). For routes
   * called thousands of times a second, whose service logs what matters itself.
   */
  unloggedRoutes?: readonly string[];
}

/** Structured JSON logs (pino) for one app; health probes and scrapes are not logged. */
export function createLoggerModule(app: string, level: LogLevel, options: LoggerModuleOptions = {}): DynamicModule {
  const unlogged = options.unloggedRoutes ?? [];
  return LoggerModule.forRoot({
    ...(unlogged.length > 0 ? { exclude: unlogged.map((path) => ({ path, method: RequestMethod.ALL })) } : {}),
    pinoHttp: {
      level,
      base: { app },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      autoLogging: { ignore: (req) => QUIET_ROUTES.includes((req.url ?? '').split('?')[0] ?? '') },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      },
    },
  });
}
