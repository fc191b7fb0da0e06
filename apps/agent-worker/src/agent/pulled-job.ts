import type { ScriptLanguage } from '@millrace/executor';
import type { JobKind } from '@millrace/tags';
import type { WorkerJob } from '@millrace/worker-loop';

/** The `pull_job` reply (API.md "Agent API"). */
export interface PullJobReply {
  job: {
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
  };
  job_token: string;
}

/**
 * The broker binds every job route to the claim inside the job token; the agent only reads
 * the claim id from it (for logs), it never needs to verify it.
 */
function claimIdOf(jobToken: string): string {
  try {
    const payload = JSON.parse(Buffer.from(jobToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { cid?: unknown };
    return typeof payload.cid === 'string' ? payload.cid : '';
  } catch {
    return '';
  }
}

export function toWorkerJob(reply: PullJobReply): WorkerJob {
  const j = reply.job;
  return {
    id: j.id,
    workspaceId: j.workspace_id,
    kind: j.job_kind,
    language: j.language,
    content: j.content,
    args: j.args ?? {},
    timeoutS: j.timeout_s,
    token: reply.job_token,
    claimId: claimIdOf(reply.job_token),
  };
}
