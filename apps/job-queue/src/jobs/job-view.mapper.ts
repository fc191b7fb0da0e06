import type { JobView } from '@millrace/queue';

/** The wire shape of a job (docs/job-queue-api.md), snake_case like API.md. */
export function toWire(j: JobView, logs?: string | null) {
  return {
    id: j.id,
    workspace_id: j.workspaceId,
    type: j.type,
    job_kind: j.kind,
    path: j.path,
    language: j.language,
    tag: j.tag,
    priority: j.priority,
    args: j.args,
    running: j.running,
    success: j.success,
    canceled: j.canceled,
    canceled_by: j.canceledBy,
    canceled_reason: j.canceledReason,
    result: j.result ?? null,
    error: j.error,
    worker: j.worker,
    created_by: j.createdBy,
    created_at: j.createdAt.toISOString(),
    scheduled_for: j.scheduledFor.toISOString(),
    started_at: j.startedAt?.toISOString() ?? null,
    completed_at: j.completedAt?.toISOString() ?? null,
    duration_ms: j.durationMs,
    parent_job: j.parentJob,
    root_job: j.rootJob,
    flow_step_id: j.flowStepId,
    restarts: j.restarts,
    ...(logs === undefined ? {} : { logs: logs ?? '' }),
  };
}

export type WireJob = ReturnType<typeof toWire>;
