import type { PullJobReply } from '@millrace/contracts';
import type { WorkerJob } from '@millrace/worker-loop';

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
