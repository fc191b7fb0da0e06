import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { errorBody, ErrorBody } from '@millrace/server-kit';
import { QueueError, QueueErrorCode } from '@millrace/queue';
import type { Response } from 'express';

function statusOf(code: QueueErrorCode): number {
  switch (code) {
    case QueueErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case QueueErrorCode.InvalidJob:
      return HttpStatus.BAD_REQUEST;
    case QueueErrorCode.StaleClaim:
    case QueueErrorCode.LogOffsetGap:
    case QueueErrorCode.AlreadyCompleted:
      return HttpStatus.CONFLICT;
  }
}

/** The error body of a log gap also says where to resume: `{"error": {code, message, offset}}`. */
export type QueueErrorBody = ErrorBody & { error: { offset?: number } };

/**
 * Maps the queue's typed errors (for QueueErrorFilter and the agent fast path): stale or
 * foreign claim → 409 `stale_claim`; log gap → 409 `log_offset_gap` with the server's
 * `offset`; unknown job → 404.
 */
export function queueErrorResponse(e: QueueError): { status: number; body: QueueErrorBody } {
  const status = statusOf(e.code);
  const body: QueueErrorBody = errorBody(status, e.message, e.code);
  if (e.code === QueueErrorCode.LogOffsetGap && e.serverOffset !== undefined) body.error.offset = e.serverOffset;
  return { status, body };
}

@Catch(QueueError)
export class QueueErrorFilter implements ExceptionFilter {
  catch(e: QueueError, host: ArgumentsHost): void {
    const { status, body } = queueErrorResponse(e);
    host.switchToHttp().getResponse<Response>().status(status).json(body);
  }
}
