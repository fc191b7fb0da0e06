/**
 * The few request/response members this app uses. The workspace has no @types/express, so
 * these stand in for express's types (they are structurally compatible with them).
 */
export interface HttpRequest {
  path: string;
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, unknown>;
  body?: unknown;
}

export interface HttpResponse {
  status(code: number): HttpResponse;
  type(contentType: string): HttpResponse;
  send(body: unknown): unknown;
}
