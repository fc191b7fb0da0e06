import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureHttpApp } from '@millrace/server-kit';
import { Logger } from 'nestjs-pino';

/**
 * Boots an app module the way `runApp` does (logger, error shape, validation, body limit),
 * listening on a free port, for supertest or real HTTP clients. Close it in afterAll.
 */
export async function bootTestApp(module: Type | DynamicModule, beforeBodyParsers?: (app: INestApplication) => void): Promise<INestApplication> {
  const ref = await Test.createTestingModule({ imports: [module] }).compile();
  const app = ref.createNestApplication({ bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  configureHttpApp(app, undefined, beforeBodyParsers);
  await app.listen(0, '127.0.0.1');
  return app;
}
