/**
 * Session advisory lock that makes one monitor the active one for a round. A single bigint
 * key, next to the migration lock's (7883917384227901029, "millrace" in ASCII).
 */
export const MONITOR_LOCK_KEY = '7883917384227901030';

export const TRY_MONITOR_LOCK = `SELECT pg_try_advisory_lock($1::bigint) AS locked`;
