import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** Express 5 wildcards (`*path`) read as OpenAPI path parameters (`{path}`). */
function withOpenApiPaths(doc: OpenAPIObject): OpenAPIObject {
  return { ...doc, paths: Object.fromEntries(Object.entries(doc.paths).map(([p, item]) => [p.replace(/\*(\w+)/g, '{$1}'), item])) };
}

/**
 * Serves Swagger UI at `/api/docs` and the document at `/api/docs-json`, generated from the
 * controllers and DTOs on first request. Mounted before the app starts listening (runApp's
 * `beforeBodyParsers` hook) so the routes come ahead of Nest's not-found handler; they are
 * plain express routes, outside the access guard, so reading the docs needs no token.
 */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Millrace API')
    .setDescription('Self-hosted job orchestrator: users, workspaces, scripts, jobs and workers. Errors are {"error": {"code", "message"}}.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'a session token from POST /api/auth/login or an API token' })
    .build();
  SwaggerModule.setup('api/docs', app, () => withOpenApiPaths(SwaggerModule.createDocument(app, config)), {
    jsonDocumentUrl: 'api/docs-json',
    raw: ['json'],
    customSiteTitle: 'Millrace API',
    swaggerOptions: { persistAuthorization: true },
  });
}
