import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { errorBody } from './error-body';

/** Errors thrown by body-parser carry `status` and `type` but are not HttpExceptions. */
interface BodyParserError {
  status: number;
  type: string;
  message: string;
}

function isBodyParserError(e: unknown): e is BodyParserError {
  return typeof e === 'object' && e !== null && typeof (e as BodyParserError).status === 'number' && typeof (e as BodyParserError).type === 'string';
}

function messageOf(response: unknown, fallback: string): string {
  if (typeof response === 'string') return response;
  if (typeof response === 'object' && response !== null) {
    const m = (response as { message?: unknown }).message;
    if (Array.isArray(m)) return m.join('; ');
    if (typeof m === 'string') return m;
  }
  return fallback;
}

/** A route may have set another content type (`@Header`) before failing; errors are JSON. */
function send(res: Response, status: number, body: object): void {
  res.status(status).type('application/json').json(body);
}

/**
 * The status and `{"error": {"code", "message"}}` body for any error; `unexpected` marks one
 * that is not the client's fault (it becomes a 500 and must be logged).
 */
export function toErrorResponse(exception: unknown): { status: number; body: object; unexpected: boolean } {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const code = typeof response === 'object' && response !== null && typeof (response as { code?: unknown }).code === 'string' ? (response as { code: string }).code : undefined;
    return { status, body: errorBody(status, messageOf(response, exception.message), code), unexpected: false };
  }
  if (isBodyParserError(exception) && exception.status >= 400 && exception.status < 500) {
    const message = exception.type === 'entity.too.large' ? 'request body is too large' : exception.type === 'entity.parse.failed' ? `request body is not valid JSON: ${exception.message}` : exception.message;
    return { status: exception.status, body: errorBody(exception.status, message), unexpected: false };
  }
  return { status: 500, body: errorBody(500, 'internal error'), unexpected: true };
}

/** Maps every error to `{"error": {"code", "message"}}`; unexpected ones become a logged 500. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const { status, body, unexpected } = toErrorResponse(exception);
    if (unexpected) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    send(res, status, body);
  }
}
