import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { errorBody } from '@millrace/server-kit';
import { QueueError, QueueErrorCode } from '@millrace/queue';
import { TagResolutionError } from '@millrace/tags';
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

/** Maps the queue's and the tag resolver's typed errors to API errors. */
@Catch(QueueError, TagResolutionError)
export class DomainErrorFilter implements ExceptionFilter {
  catch(e: QueueError | TagResolutionError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status = e instanceof QueueError ? statusOf(e.code) : HttpStatus.BAD_REQUEST;
    res.status(status).type('application/json').json(errorBody(status, e.message, e.code));
  }
}
