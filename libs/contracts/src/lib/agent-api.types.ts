import type { JobKind, ScriptLanguage } from '@millrace/tags';

/** The `job` of a `pull_job` reply (API.md "Agent API"): what an agent needs to run it. */
export interface PulledJob {
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

/** 200 reply of `POST /api/agent_workers/pull_job`. */
export interface PullJobReply {
  job: PulledJob;
  /** Goes back as `X-Job-Token` on the job routes. */
  job_token: string;
}
