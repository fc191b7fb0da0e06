import { Body, Controller, Get, INestApplication, Module, NotFoundException, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsInt, IsString, Max, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import request from 'supertest';
import { configureHttpApp } from '../bootstrap/run-app';

class Inner {
  @IsInt()
  @Max(10)
  n!: number;
}

class CreateThingDto {
  @IsString()
  name!: string;

  @ValidateNested()
  @Type(() => Inner)
  inner!: Inner;
}

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() dto: CreateThingDto) {
    return { name: dto.name, n: dto.inner.n };
  }

  @Get('missing')
  missing() {
    throw new NotFoundException('thing 7 not found');
  }

  @Get('boom')
  boom() {
    throw new Error('database password is hunter2');
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('shared HTTP conventions', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await NestFactory.create(ThingsModule, { bodyParser: false, logger: false });
    configureHttpApp(app, '1kb');
    await app.init();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  it('passes a valid body through, transformed', async () => {
    await http().post('/things').send({ name: 'a', inner: { n: 3 } }).expect(201, { name: 'a', n: 3 });
  });

  it.each([
    ['a wrong type', { name: 5, inner: { n: 1 } }, /name must be a string/],
    ['a nested violation, with its path', { name: 'a', inner: { n: 11 } }, /inner\.n must not be greater than 10/],
    ['an unknown field', { name: 'a', inner: { n: 1 }, extra: true }, /property extra should not exist/],
  ])('answers %s with 400 naming the field', async (_n, body, message) => {
    const res = await http().post('/things').send(body).expect(400);
    expect(res.body).toEqual({ error: { code: 'bad_request', message: expect.stringMatching(message) } });
  });

  it('names a body that is not JSON', async () => {
    const res = await http().post('/things').set('content-type', 'application/json').send('{"name":').expect(400);
    expect(res.body.error.message).toMatch(/^request body is not valid JSON/);
  });

  it('answers 413 past the body limit', async () => {
    const res = await http().post('/things').send({ name: 'x'.repeat(2000), inner: { n: 1 } }).expect(413);
    expect(res.body).toEqual({ error: { code: 'payload_too_large', message: 'request body is too large' } });
  });

  it('keeps an HttpException message', async () => {
    await http().get('/things/missing').expect(404, { error: { code: 'not_found', message: 'thing 7 not found' } });
  });

  it('turns an unexpected error into a 500 that reveals nothing', async () => {
    const res = await http().get('/things/boom').expect(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'internal error' } });
  });
});
