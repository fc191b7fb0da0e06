import axios, { AxiosError, AxiosInstance, AxiosRequestConfig } from 'axios';
import axiosRetry, { isNetworkError } from 'axios-retry';
import { HttpClientError, HttpClientErrorCode } from './http-client.errors';
import { backoffDelay, DEFAULT_RETRY, RetryPolicy } from './retry-policy';

export interface HttpClientOptions {
  baseURL: string;
  /** Sent on every request (e.g. the agent token). */
  headers?: Record<string, string>;
  /** Per-attempt timeout; long polls pass their own. */
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Called before each retry: for logs and metrics. Never receives headers. */
  onRetry?: (info: { method: string; url: string; attempt: number; reason: string; delayMs: number }) => void;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  query?: Record<string, string | number>;
  timeoutMs?: number;
  retry?: RetryPolicy;
  signal?: AbortSignal;
}

export interface HttpResponse<T> {
  status: number;
  data: T;
}

/** Transient: no response at all (connection refused/reset, timeout), a 5xx, or a 429. */
export function isTransient(error: AxiosError): boolean {
  if (axios.isCancel(error) || error.code === 'ERR_CANCELED') return false;
  if (!error.response) return isNetworkError(error) || error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT' || error.code === 'ECONNRESET';
  return error.response.status >= 500 || error.response.status === 429;
}

function describe(error: AxiosError): string {
  return error.response ? `HTTP ${error.response.status}` : (error.code ?? error.message);
}

/**
 * JSON over HTTP with retries (axios + axios-retry): every transient failure is retried with
 * exponential backoff and jitter under the call's policy; 401/403 and other 4xx fail at once
 * with a typed error. The server's API is idempotent (log offsets, completion bound to a
 * claim), which is what makes retrying POSTs safe.
 */
export class RetryingHttpClient {
  private readonly http: AxiosInstance;

  constructor(private readonly options: HttpClientOptions) {
    this.http = axios.create({
      baseURL: options.baseURL,
      headers: { 'content-type': 'application/json', ...options.headers },
      timeout: options.timeoutMs ?? 30_000,
      // Every status reaches the caller as an error or a result; we decide, not axios.
      validateStatus: (s) => s >= 200 && s < 300,
      // An API answers, it does not redirect (a 3xx is an error like any other non-2xx). With
      // no redirects to follow, axios calls Node's http directly instead of wrapping every
      // request in follow-redirects (a tenth of an agent's CPU per request, bench:fleet).
      maxRedirects: 0,
    });
    axiosRetry(this.http, {
      retries: (options.retry ?? DEFAULT_RETRY).retries,
      shouldResetTimeout: true,
      retryCondition: isTransient,
      retryDelay: (n, error) => {
        const policy = this.policyOf(error.config);
        const after = Number(error.response?.headers?.['retry-after']);
        return backoffDelay(policy, n, Number.isNaN(after) ? undefined : after);
      },
      onRetry: (n, error, config) => {
        const policy = this.policyOf(config);
        options.onRetry?.({ method: (config.method ?? 'get').toUpperCase(), url: config.url ?? '', attempt: n, reason: describe(error), delayMs: backoffDelay(policy, n) });
      },
    });
  }

  async post<T>(path: string, body: unknown, o: RequestOptions = {}): Promise<HttpResponse<T>> {
    return this.send<T>({ method: 'POST', url: path, data: body }, o);
  }

  async get<T>(path: string, o: RequestOptions = {}): Promise<HttpResponse<T>> {
    return this.send<T>({ method: 'GET', url: path }, o);
  }

  private policyOf(config: AxiosRequestConfig | undefined): RetryPolicy {
    return (config as { millraceRetry?: RetryPolicy } | undefined)?.millraceRetry ?? this.options.retry ?? DEFAULT_RETRY;
  }

  private async send<T>(config: AxiosRequestConfig, o: RequestOptions): Promise<HttpResponse<T>> {
    const policy = o.retry ?? this.options.retry ?? DEFAULT_RETRY;
    const request = {
      ...config,
      headers: o.headers,
      params: o.query,
      timeout: o.timeoutMs ?? this.options.timeoutMs ?? 30_000,
      signal: o.signal,
      'axios-retry': { retries: policy.retries },
      millraceRetry: policy,
    } as AxiosRequestConfig;
    try {
      const res = await this.http.request<T>(request);
      return { status: res.status, data: res.data };
    } catch (e) {
      throw this.toError(e, config);
    }
  }

  private toError(e: unknown, config: AxiosRequestConfig): HttpClientError {
    const what = `${config.method} ${config.url}`;
    if (!axios.isAxiosError(e)) return new HttpClientError(HttpClientErrorCode.GaveUp, `${what}: ${String(e)}`);
    if (axios.isCancel(e) || e.code === 'ERR_CANCELED') return new HttpClientError(HttpClientErrorCode.Aborted, `${what}: aborted`);
    const status = e.response?.status;
    const body: unknown = e.response?.data;
    const serverMessage = (body as { error?: { message?: string } } | undefined)?.error?.message;
    const detail = serverMessage ? `: ${serverMessage}` : '';
    if (status === 401 || status === 403) return new HttpClientError(HttpClientErrorCode.AuthRejected, `${what} refused with ${status}${detail}`, status, body);
    if (status !== undefined && status < 500 && status !== 429) return new HttpClientError(HttpClientErrorCode.Rejected, `${what} rejected with ${status}${detail}`, status, body);
    return new HttpClientError(HttpClientErrorCode.GaveUp, `${what} still failing after retries (${describe(e)})`, status, body);
  }
}
