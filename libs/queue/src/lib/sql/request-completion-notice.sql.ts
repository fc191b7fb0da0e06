/**
 * Asks for a NOTIFY when job $1 completes (see finish-jobs.sql.ts). No row: the job already
 * completed, or never existed — the waiter checks the job right after.
 */
export const REQUEST_COMPLETION_NOTICE = `UPDATE job_queue SET notify_completion = true WHERE id = $1 AND NOT notify_completion`;
