import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { bootGateway, TestGateway } from '../testing/gateway.harness';
import { isBrokerRoute } from './agent-broker.proxy';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('the gateway forwards the Agent API to the broker', () => {
  let broker: Server;
  let gw: TestGateway;
  const seen: Seen[] = [];

  beforeAll(async () => {
    // A stand-in broker on a real socket that echoes what reached it.
    broker = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        if (req.url?.startsWith('/api/agent_workers/pull_job')) {
          res.writeHead(204);
          res.end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ from: 'broker', offset: 5 }));
      });
    });
    await new Promise<void>((r) => broker.listen(0, '127.0.0.1', r));
    gw = await bootGateway({ AGENT_BROKER_URL: `http://127.0.0.1:${(broker.address() as AddressInfo).port}` });
  });

  afterAll(async () => {
    await gw.close();
    await new Promise<void>((r) => broker.close(() => r()));
  });

  it('streams a job route through with its body, query and agent headers', async () => {
    const res = await request(gw.server)
      .post('/api/w/acme/agent_workers/push_logs/7d1c7c1e-1111-4a2b-8c3d-000000000001?x=1')
      .set('Authorization', 'Bearer jwt_agent_a.b.c')
      .set('X-Worker-Suffix', 'host-1')
      .set('X-Job-Token', 'job.token.sig')
      .send({ offset: 0, logs: 'hello' })
      .expect(200);
    expect(res.body).toEqual({ from: 'broker', offset: 5 });
    const last = seen[seen.length - 1]!;
    expect(last).toMatchObject({ method: 'POST', url: '/api/w/acme/agent_workers/push_logs/7d1c7c1e-1111-4a2b-8c3d-000000000001?x=1' });
    expect(JSON.parse(last.body)).toEqual({ offset: 0, logs: 'hello' });
    expect(last.headers).toMatchObject({ authorization: 'Bearer jwt_agent_a.b.c', 'x-worker-suffix': 'host-1', 'x-job-token': 'job.token.sig' });
  });

  it('passes a 204 long-poll answer back', async () => {
    await request(gw.server).post('/api/agent_workers/pull_job?wait_s=0').set('Authorization', 'Bearer jwt_agent_a.b.c').send({}).expect(204);
    expect(seen[seen.length - 1]!.url).toBe('/api/agent_workers/pull_job?wait_s=0');
  });

  it('keeps the token routes for itself', async () => {
    const before = seen.length;
    await request(gw.server).post('/api/agent_workers/create_agent_token').send({ worker_group: 'x', tags: ['a'] }).expect(401);
    await request(gw.server).get('/api/agent_workers/list_tokens').expect(401);
    expect(seen.length).toBe(before);
  });

  it.each([
    ['/api/agent_workers/update_ping', true],
    ['/api/agent_workers/record_init_job', true],
    ['/api/agent_workers/end_poll', true],
    ['/api/agent_workers/pull_job?wait_s=5', true],
    ['/api/agent_workers/ping_job_status/abc', true],
    ['/api/w/acme/agent_workers/send_result/abc', true],
    ['/api/w/acme/agent_workers/release_job/abc', true],
    ['/api/agent_workers/create_agent_token', false],
    ['/api/agent_workers/blacklist_token', false],
    ['/api/agent_workers/list_tokens', false],
    ['/api/w/acme/jobs/list', false],
    ['/api/agent_workers/ping_job_status/abc/extra', false],
  ])('routes %s to the broker: %s', (url, forwarded) => {
    expect(isBrokerRoute(url)).toBe(forwarded);
  });
});

describe('with the broker down', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await bootGateway({ AGENT_BROKER_URL: 'http://127.0.0.1:9' });
  });
  afterAll(() => gw.close());

  it('answers 502 in the API error shape', async () => {
    const res = await request(gw.server).post('/api/agent_workers/update_ping').send({}).expect(502);
    expect(res.body).toEqual({ error: { code: 'bad_gateway', message: 'the agent broker is unreachable' } });
  });
});
