import { INestApplication } from '@nestjs/common';
import { ShutdownState } from '@millrace/server-kit';
import request from 'supertest';
import { bootJobQueue } from './testing/job-queue.fixture';

describe('job-queue health, metrics and error shape', () => {
  let app: INestApplication;

  beforeAll(async () => {
    ({ app } = await bootJobQueue());
  });

  afterAll(async () => {
    await app.close();
  });

  it('is live', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
  });

  it('is ready when its database answers', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body.details.database.status).toBe('up');
  });

  it('serves Prometheus metrics', async () => {
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('answers unknown routes with the API error shape', async () => {
    const res = await request(app.getHttpServer()).get('/no/such/route').expect(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.stringContaining('/no/such/route') } });
  });

  it('turns not-ready once it starts draining', async () => {
    app.get(ShutdownState).startDraining();
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body.error.accepting).toEqual({ status: 'down', message: 'shutting down' });
  });
});
