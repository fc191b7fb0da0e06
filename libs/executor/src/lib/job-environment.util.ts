import type { ExecutionJob } from './execution.types';

/**
 * The complete environment of a job process. Built from scratch — never from the worker's
 * own environment — so worker secrets such as DATABASE_URL cannot reach job code.
 * Order of precedence: the `WM_*`/`BASE_INTERNAL_URL` identity of the job, then the
 * group's env, then the defaults below it.
 */
export function buildJobEnvironment(
  job: ExecutionJob,
  options: { path: string; baseInternalUrl: string; home: string; languageDefaults: Record<string, string> },
): Record<string, string> {
  return {
    PATH: options.path,
    // Tools (pip, npm, git) want a writable HOME; the job's own directory is the only one it has.
    HOME: options.home,
    ...options.languageDefaults,
    ...(job.env ?? {}),
    WM_JOB_ID: job.id,
    WM_WORKSPACE: job.workspaceId,
    WM_TOKEN: job.token,
    BASE_INTERNAL_URL: options.baseInternalUrl,
  };
}
