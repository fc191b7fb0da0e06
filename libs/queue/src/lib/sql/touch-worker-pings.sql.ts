/**
 * Marks workers alive without a full ping: only `last_ping` moves (the broker calls this for
 * agents whose pull_job requests it served; an open long poll is a sign of life). A worker
 * that never sent a full ping has no row and is not created here. HOT updates: `last_ping`
 * is not indexed.
 *
 * $1 worker names.
 */
export const TOUCH_WORKER_PINGS = {
  name: 'millrace_touch_worker_pings',
  text: `UPDATE worker_ping SET last_ping = now() WHERE worker = ANY ($1::text[])`,
} as const;
