import 'reflect-metadata';
import { BadRequestException, DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, RequestHandler, text } from 'express';
import { Logger } from 'nestjs-pino';
import { ConfigValidationError } from '../config/config.errors';
import { ShutdownState } from '../health/shutdown-state';
import { HttpErrorFilter } from '../http/http-error.filter';
import { createValidationPipe } from '../http/validation.pipe';

export interface RunAppOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  host?: string;
  /** Largest accepted request body. */
  bodyLimit?: string;
  /** Seconds to let in-flight work finish after SIGTERM/SIGINT before forcing exit. */
  shutdownGraceS: number;
  /** Middleware that must see raw request streams (e.g. a proxy), mounted before body parsing. */
  beforeBodyParsers?: (app: INestApplication) => void;
}

/** Applies what every Millrace HTTP app shares: error shape, validation, body limits. */
export function configureHttpApp(app: INestApplication, bodyLimit = '10mb', beforeBodyParsers?: (app: INestApplication) => void): void {
  const express = app as NestExpressApplication;
  beforeBodyParsers?.(app);
  express.use(explainParseErrors(json({ limit: bodyLimit })));
  express.use(text({ limit: bodyLimit }));
  express.disable('x-powered-by');
  app.useGlobalFilters(new HttpErrorFilter());
  app.useGlobalPipes(createValidationPipe());
}

/**
 * Nest turns body-parser's SyntaxError into a bare 400 "Unexpected token …"; say what is
 * wrong instead. Other parser errors (413 too large, 415 charset) keep their status.
 */
function explainParseErrors(parser: RequestHandler): RequestHandler {
  return (req, res, next) =>
    parser(req, res, (err?: unknown) => {
      if (err instanceof SyntaxError) return next(new BadRequestException(`request body is not valid JSON: ${err.message}`));
      return next(err);
    });
}

/**
 * Boots a Nest app: structured logs, shared HTTP conventions, listen, and a graceful
 * shutdown on SIGTERM/SIGINT (readiness goes down, lifecycle hooks drain, exit 0; a second
 * signal or the grace limit forces exit 1).
 */
export async function runApp(module: Type | DynamicModule, options: RunAppOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, bodyParser: false });
  const logger = app.get(Logger);
  app.useLogger(logger);
  configureHttpApp(app, options.bodyLimit, options.beforeBodyParsers);
  // Idle keep-alive sockets live past a worker's 5 s ping period (Node's default is 5 s), so
  // thousands of agents reuse their connections instead of reconnecting on every ping.
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await app.listen(options.port, options.host ?? '0.0.0.0');
  const address = app.getHttpServer().address() as { port: number } | null;
  logger.log(`listening on port ${address?.port ?? options.port}`, 'Bootstrap');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`second ${signal}: exiting now`, 'Shutdown');
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal} received: draining (grace ${options.shutdownGraceS}s)`, 'Shutdown');
    app.get(ShutdownState, { strict: false }).startDraining();
    const force = setTimeout(() => {
      logger.error(`still busy after ${options.shutdownGraceS}s: exiting anyway`, 'Shutdown');
      process.exit(1);
    }, options.shutdownGraceS * 1000);
    force.unref();
    app.close().then(
      // A component that had to stop the app for cause (e.g. a revoked token) set exitCode.
      () => process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0),
      (err: unknown) => {
        logger.error(`shutdown failed: ${String(err)}`, 'Shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return app;
}

/**
 * Runs `main`; a config error is printed as one JSON log line naming the variables and the
 * process exits 1 — so a bad deployment fails loudly at boot, not at first use.
 */
export function runMain(app: string, main: () => Promise<unknown>): void {
  main().catch((err: unknown) => {
    const msg = err instanceof ConfigValidationError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`${JSON.stringify({ level: 60, time: Date.now(), app, msg })}\n`);
    process.exit(1);
  });
}
