import type { PulledJob } from '@millrace/contracts';
import type { ClaimedJob } from '@millrace/queue';

/** The `job` of a pull_job reply, from a claimed job. */
export function toPulledJobView(job: ClaimedJob): PulledJob {
  return {
    id: job.id,
    workspace_id: job.workspaceId,
    job_kind: job.kind,
    language: job.language,
    content: job.content,
    lock: job.lock,
    args: job.args,
    tag: job.tag,
    timeout_s: job.timeoutS,
    parent_job: job.parentJob,
    flow_step_id: job.flowStepId,
    created_at: job.createdAt.toISOString(),
  };
}
