/**
 * LISTEN/NOTIFY channels. One NOTIFY per transaction on each (PERFORMANCE.md: NOTIFY takes a
 * global lock at commit), carrying comma-separated values; tags and UUIDs hold no commas.
 */
export const NEW_JOBS_CHANNEL = 'millrace_new_jobs';
export const JOB_COMPLETED_CHANNEL = 'millrace_job_completed';

/** PostgreSQL refuses payloads of 8000 bytes or more. */
export const NOTIFY_PAYLOAD_LIMIT = 8000;
