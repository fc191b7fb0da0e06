import request from 'supertest';
import { bootGateway, TestGateway } from '../testing/gateway.harness';

describe('OpenAPI', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await bootGateway();
  });

  afterAll(async () => {
    await gw.close();
  });

  it('serves the document at /api/docs-json without credentials, with every route', async () => {
    const res = await request(gw.server).get('/api/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const routes = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(routes.sort()).toEqual(
      [
        'POST /api/auth/login',
        'POST /api/auth/logout',
        'GET /api/users/whoami',
        'POST /api/users/create',
        'POST /api/users/tokens/create',
        'GET /api/users/tokens/list',
        'DELETE /api/users/tokens/delete/{token_prefix}',
        'POST /api/agent_workers/create_agent_token',
        'GET /api/agent_workers/list_tokens',
        'POST /api/agent_workers/blacklist_token',
        'POST /api/workspaces/create',
        'POST /api/w/{ws}/users/add',
        'POST /api/w/{ws}/scripts/create',
        'GET /api/w/{ws}/scripts/get/p/{path}',
        'GET /api/w/{ws}/scripts/list',
        'POST /api/w/{ws}/jobs/run/p/{path}',
        'POST /api/w/{ws}/jobs/run/preview',
        'POST /api/w/{ws}/jobs/run/f/{path}',
        'POST /api/w/{ws}/jobs/run_wait_result/p/{path}',
        'GET /api/w/{ws}/jobs_u/get/{id}',
        'GET /api/w/{ws}/jobs_u/completed/get_result/{id}',
        'GET /api/w/{ws}/jobs_u/get_logs/{id}',
        'GET /api/w/{ws}/jobs/list',
        'POST /api/w/{ws}/jobs_u/queue/cancel/{id}',
        'GET /api/workers/list',
        'GET /api/configs/list_worker_groups',
        'POST /api/configs/update/{name}',
        'GET /health/live',
        'GET /health/ready',
        'GET /metrics',
      ].sort(),
    );
  });

  it('describes request bodies from the DTOs, and bearer auth', async () => {
    const { body } = await request(gw.server).get('/api/docs-json').expect(200);
    const script = body.components.schemas.CreateScriptDto;
    expect(script.required).toEqual(expect.arrayContaining(['path', 'language', 'content']));
    expect(script.properties.language.enum).toEqual(['bash', 'python3', 'nodejs', 'typescript']);
    expect(body.components.schemas.LoginDto.required).toEqual(['email', 'password']);
    expect(body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(body.paths['/api/w/{ws}/scripts/create'].post.security).toEqual([{ bearer: [] }]);
    expect(body.paths['/api/w/{ws}/scripts/create'].post.parameters.map((p: { name: string }) => p.name)).toContain('ws');
  });

  it('serves Swagger UI at /api/docs with its assets', async () => {
    const page = await request(gw.server).get('/api/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('swagger-ui-bundle.js');
    const bundle = await request(gw.server).get('/api/docs/swagger-ui-bundle.js').expect(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect(bundle.text.length).toBeGreaterThan(100_000);
    const init = await request(gw.server).get('/api/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('"persistAuthorization": true');
  });
});
