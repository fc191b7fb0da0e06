/** Asks the worker running job $1 to cancel it; its next heartbeat reply carries the request. */
export const FLAG_CANCEL = `
UPDATE job_queue SET canceled_by = $2, canceled_reason = $3 WHERE id = $1`;
