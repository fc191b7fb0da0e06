import { DynamicModule } from '@nestjs/common';
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

/** Structured JSON logs (pino) for one app; health probes and scrapes are not logged. */
export function createLoggerModule(app: string, level: LogLevel): DynamicModule {
  return LoggerModule.forRoot({
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
