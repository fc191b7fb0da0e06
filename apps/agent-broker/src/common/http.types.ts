import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The parts of Express's request and response the broker uses, typed here because
 * `@types/express` is not installed in this workspace (importing 'express' types would
 * give `any`).
 */
export type HttpRequest = IncomingMessage & { params: Record<string, string | undefined> };

export interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): void;
  end(): void;
  on(event: 'close', listener: () => void): void;
  readonly socket: Socket | null;
  readonly headersSent: boolean;
}
