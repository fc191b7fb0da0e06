/** Releases the monitor's advisory lock (see monitor-lock.sql.ts). */
export const MONITOR_UNLOCK = `SELECT pg_advisory_unlock($1::bigint) AS unlocked`;
