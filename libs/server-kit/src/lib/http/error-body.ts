/** The error shape of every Millrace HTTP API (API.md). */
export interface ErrorBody {
  error: { code: string; message: string };
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'too_many_requests',
  500: 'internal',
  502: 'bad_gateway',
  503: 'unavailable',
};

export function codeForStatus(status: number): string {
  return CODES[status] ?? (status >= 500 ? 'internal' : 'error');
}

export function errorBody(status: number, message: string, code = codeForStatus(status)): ErrorBody {
  return { error: { code, message } };
}
