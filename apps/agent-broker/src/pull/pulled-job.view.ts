import type { ClaimedJob, JobKind, ScriptLanguage } from '@millrace/queue';

/** The `job` of a pull_job reply (API.md). */
export interface PulledJobView {
  id: string;
  workspace_id: string;
  job_kind: JobKind;
  language: ScriptLanguage | null;
  content: string | null;
  lock: string | null;
  args: Record<string, unknown>;
  tag: string;
  timeout_s: number | null;
  parent_job: string | null;
  flow_step_id: string | null;
  created_at: string;
}

export interface PullJobReply {
  job: PulledJobView;
  /** Goes back as `X-Job-Token` on the job routes. */
  job_token: string;
}

export function toPulledJobView(job: ClaimedJob): PulledJobView {
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
