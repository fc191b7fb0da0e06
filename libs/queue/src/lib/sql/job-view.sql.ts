/**
 * One job as clients see it, queued or completed; `job` joined to whichever lifecycle row it
 * has. Shared by get and list (the FROM and WHERE follow in each statement).
 */
export const JOB_VIEW_COLUMNS = `
  j.id, j.workspace_id, j.kind, j.path, j.language, j.tag, j.priority, j.args, j.created_by, j.created_at,
  j.scheduled_for, j.parent_job, j.root_job, j.flow_step_id,
  (c.id IS NOT NULL) AS completed,
  COALESCE(q.running, false) AS running,
  c.success, c.result, c.error,
  COALESCE(c.canceled_by, q.canceled_by) AS canceled_by,
  COALESCE(c.canceled_reason, q.canceled_reason) AS canceled_reason,
  COALESCE(c.worker, q.worker) AS worker,
  COALESCE(c.started_at, q.started_at) AS started_at,
  c.completed_at,
  c.duration_ms::float8 AS duration_ms,
  COALESCE(c.restarts, q.restarts) AS restarts`;
