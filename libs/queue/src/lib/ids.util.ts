const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Job and claim ids are UUIDs; anything else cannot name a job (and would be a SQL error). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** PostgreSQL prints UUIDs in lower case; a client may send upper case. */
export function sameId(stored: string | null, given: string): boolean {
  return stored !== null && stored === given.toLowerCase();
}
