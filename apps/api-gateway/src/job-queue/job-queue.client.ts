import { BadGatewayException, HttpException, Injectable, OnModuleDestroy, ServiceUnavailableException } from '@nestjs/common';
import axios, { AxiosError, AxiosInstance, AxiosResponse, Method } from 'axios';
import axiosRetry, { exponentialDelay, isNetworkError } from 'axios-retry';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { GatewayConfig } from '../config/api-gateway.config';
import type { JobListQuery, JobView, PushJob, PushReply } from './job-queue.types';
import { Actor, ServiceTokenSigner } from './service-token.signer';

interface Call {
  method: Method;
  path: string;
  body?: unknown;
  params?: Record<string, string | number | undefined>;
  /** Extra time allowed on top of JOB_QUEUE_TIMEOUT_MS (long waits). */
  extraTimeoutMs?: number;
}

/**
 * job-queue's internal API (docs/job-queue-api.md) over HTTP, one fresh service token per
 * call. Its 4xx answers reach the client as they are (status and error body); its 401 means
 * the gateway's key is not the one job-queue trusts, so that and 5xx become 502; no answer
 * at all is 503. Reads are retried on connection errors; pushes never are (no duplicates).
 */
@Injectable()
export class JobQueueClient implements OnModuleDestroy {
  private readonly http: AxiosInstance;
  private readonly agents = { http: new Agent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

  constructor(
    private readonly config: GatewayConfig,
    private readonly signer: ServiceTokenSigner,
  ) {
    this.http = axios.create({
      baseURL: `${config.JOB_QUEUE_URL}/internal/v1`,
      timeout: config.JOB_QUEUE_TIMEOUT_MS,
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      // Bodies are handled here: results must pass through byte for byte, logs are text.
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxContentLength: 64 * 1024 * 1024,
    });
    axiosRetry(this.http, {
      retries: 2,
      retryDelay: (n, e) => exponentialDelay(n, e, 100),
      retryCondition: (e) => isNetworkError(e) && e.config?.method?.toLowerCase() === 'get',
    });
  }

  onModuleDestroy(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  async push(actor: Actor, ws: string, job: PushJob): Promise<PushReply> {
    return JSON.parse(await this.call(actor, ws, { method: 'POST', path: '/jobs', body: job })) as PushReply;
  }

  async get(actor: Actor, ws: string, id: string): Promise<JobView> {
    return JSON.parse(await this.call(actor, ws, { method: 'GET', path: `/jobs/${id}` })) as JobView;
  }

  async list(actor: Actor, ws: string, query: JobListQuery): Promise<unknown> {
    return JSON.parse(await this.call(actor, ws, { method: 'GET', path: '/jobs', params: query })) as unknown;
  }

  /** The result as job-queue serialised it (JSON text), passed on untouched. */
  result(actor: Actor, ws: string, id: string): Promise<string> {
    return this.call(actor, ws, { method: 'GET', path: `/jobs/${id}/result` });
  }

  logs(actor: Actor, ws: string, id: string): Promise<string> {
    return this.call(actor, ws, { method: 'GET', path: `/jobs/${id}/logs` });
  }

  async cancel(actor: Actor, ws: string, id: string, reason: string | undefined): Promise<unknown> {
    return JSON.parse(await this.call(actor, ws, { method: 'POST', path: `/jobs/${id}/cancel`, body: reason === undefined ? {} : { reason } })) as unknown;
  }

  /** The job once completed; job-queue answers 408 when `timeoutS` passes first. */
  async wait(actor: Actor, ws: string, id: string, timeoutS: number): Promise<JobView> {
    const text = await this.call(actor, ws, { method: 'POST', path: `/jobs/${id}/wait`, params: { timeout_s: timeoutS }, extraTimeoutMs: timeoutS * 1000 });
    return JSON.parse(text) as JobView;
  }

  private async call(actor: Actor, ws: string, c: Call): Promise<string> {
    const token = await this.signer.sign(actor, ws);
    let res: AxiosResponse<string>;
    try {
      res = await this.http.request<string>({
        method: c.method,
        url: `/w/${encodeURIComponent(ws)}${c.path}`,
        data: c.body,
        params: c.params,
        headers: { Authorization: `Bearer ${token}` },
        timeout: this.config.JOB_QUEUE_TIMEOUT_MS + (c.extraTimeoutMs ?? 0),
      });
    } catch (e) {
      const code = e instanceof AxiosError ? (e.code ?? e.message) : String(e);
      throw new ServiceUnavailableException(`job-queue did not answer (${code}); try again shortly`);
    }
    if (res.status >= 200 && res.status < 300) return res.data;
    throw this.failure(res);
  }

  private failure(res: AxiosResponse<string>): HttpException {
    const { code, message } = parseError(res.data);
    if (res.status === 401 || res.status === 403) {
      return new BadGatewayException(`job-queue refused the gateway's service token (${message}); is its JWT_PUBLIC_KEY the gateway's public key?`);
    }
    if (res.status >= 400 && res.status < 500) {
      return new HttpException(code === undefined ? message : { code, message }, res.status);
    }
    return new BadGatewayException(`job-queue failed (${res.status}): ${message}`);
  }
}

function parseError(text: string): { code?: string; message: string } {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const message = body.error?.message;
    const code = body.error?.code;
    if (typeof message === 'string') return { code: typeof code === 'string' ? code : undefined, message };
  } catch {
    // not JSON: fall through to the raw text
  }
  return { message: text.slice(0, 500) || 'no details' };
}
