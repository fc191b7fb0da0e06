import type { Response } from 'express';

/**
 * Sends any JSON value as JSON. Nest would send a bare string result as text/html; a job
 * result that happens to be a string must still arrive as a JSON string.
 */
export function sendJson(res: Response, value: unknown, status = 200): void {
  res.status(status).type('application/json').send(JSON.stringify(value === undefined ? null : value));
}

/** Express 5 hands a `*name` wildcard over as its segments; paths are wanted whole. */
export function wildcardPath(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join('/') : value;
}
