import type { ScriptSchema } from '@millrace/contracts';
import type { JobKind, ScriptLanguage } from '@millrace/tags';

/** job-queue's `PushJobDto` (docs/job-queue-api.md), snake_case on the wire. */
export interface PushJob {
  kind: JobKind;
  path?: string;
  language?: ScriptLanguage;
  content?: string;
  lock?: string;
  args: Record<string, unknown>;
  schema?: ScriptSchema;
  tag?: string;
  script_tag?: string;
  priority?: number;
  timeout_s?: number;
  scheduled_for?: string;
}

export interface PushReply {
  id: string;
  tag: string;
}

/** job-queue's JobView, passed on to clients as it is (the fields this app reads are typed). */
export interface JobView {
  id: string;
  type: 'QueuedJob' | 'CompletedJob';
  success: boolean | null;
  canceled: boolean;
  canceled_reason?: string | null;
  result: unknown;
  error: { message: string; name?: string } | null;
  [field: string]: unknown;
}

export type JobListQuery = Partial<Record<'running' | 'success' | 'tag' | 'worker' | 'job_kinds' | 'page' | 'per_page', string>>;
