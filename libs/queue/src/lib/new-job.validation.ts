import { v7 as uuidv7 } from 'uuid';
import { isValidTag, JOB_KINDS, SCRIPT_LANGUAGES } from '@millrace/tags';
import { transpose } from './columns.util';
import { isUuid } from './ids.util';
import { jsonHasNul, toJsonText } from './json.util';
import { QueueError, QueueErrorCode } from './queue.error';
import type { NewJob } from './queue.types';

/** Workspace ids as API.md defines them. */
const WORKSPACE_ID = /^[a-z0-9][a-z0-9-]{1,49}$/;
const SMALLINT_MIN = -32768;
const SMALLINT_MAX = 32767;
const INT_MAX = 2147483647;

/** The column arrays of PUSH_JOBS ($1..$16), one entry per job, in input order. */
export interface PushColumns {
  ids: string[];
  values: unknown[][];
  tags: string[];
}

function invalid(field: string, problem: string): QueueError {
  return new QueueError(QueueErrorCode.InvalidJob, `${field}: ${problem}`);
}

function optionalText(field: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  // text columns cannot hold NUL; refusing here keeps the batch's error on the right field.
  if (value.includes('\0')) throw invalid(field, 'must not contain a NUL character');
  return value;
}

function requiredText(field: string, value: unknown): string {
  const text = optionalText(field, value);
  if (text === null || text === '') throw invalid(field, 'is required');
  return text;
}

function optionalUuid(field: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (!isUuid(value)) throw invalid(field, 'must be a UUID');
  return value;
}

function integerIn(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

/**
 * Checks every job of a batch before anything is written (a batch is all or nothing) and
 * lays the batch out as the column arrays PUSH_JOBS unnests. Errors name the field, with the
 * job's index when the batch has more than one.
 */
export function toPushColumns(jobs: readonly NewJob[]): PushColumns {
  const rows: unknown[][] = [];
  const ids: string[] = [];
  const tags: string[] = [];
  const seen = new Map<string, number>();
  jobs.forEach((job, index) => {
    const at = (field: string) => (jobs.length > 1 ? `jobs[${index}].${field}` : field);
    if (typeof job !== 'object' || job === null) throw invalid(at('job'), 'must be an object');
    // Time-ordered (UUIDv7): a batch's rows sit side by side in every primary key they reach
    // (job, job_queue, job_completed), so claims and completions touch a few index pages, not
    // one per job as random v4 ids do.
    const id = optionalUuid(at('id'), job.id) ?? uuidv7();
    const earlier = seen.get(id);
    if (earlier !== undefined) throw invalid(at('id'), `duplicates jobs[${earlier}].id`);
    seen.set(id, index);
    const workspaceId = requiredText(at('workspaceId'), job.workspaceId);
    if (!WORKSPACE_ID.test(workspaceId)) throw invalid(at('workspaceId'), `"${workspaceId}" is not a workspace id`);
    if (!(JOB_KINDS as readonly unknown[]).includes(job.kind)) throw invalid(at('kind'), `must be one of ${JOB_KINDS.join(', ')}`);
    const language = job.language ?? null;
    if (language !== null && !(SCRIPT_LANGUAGES as readonly unknown[]).includes(language)) {
      throw invalid(at('language'), `must be one of ${SCRIPT_LANGUAGES.join(', ')}`);
    }
    if (typeof job.tag !== 'string' || !isValidTag(job.tag)) {
      throw invalid(at('tag'), `${JSON.stringify(job.tag)} is not a valid tag (1-100 characters of A-Z a-z 0-9 _ . : -)`);
    }
    const priority = job.priority === undefined ? 0 : integerIn(at('priority'), job.priority, SMALLINT_MIN, SMALLINT_MAX);
    const timeoutS = job.timeoutS === undefined || job.timeoutS === null ? null : integerIn(at('timeoutS'), job.timeoutS, 1, INT_MAX);
    if (typeof job.args !== 'object' || job.args === null || Array.isArray(job.args)) throw invalid(at('args'), 'must be an object');
    const args = toJsonText(job.args) ?? '{}';
    if (jsonHasNul(args)) throw invalid(at('args'), 'must not contain a NUL character');
    const scheduledFor = job.scheduledFor ?? null;
    if (scheduledFor !== null && (!(scheduledFor instanceof Date) || Number.isNaN(scheduledFor.getTime()))) {
      throw invalid(at('scheduledFor'), 'must be a valid Date');
    }
    const row = [
      id,
      workspaceId,
      job.kind,
      optionalText(at('path'), job.path),
      language,
      optionalText(at('content'), job.content),
      optionalText(at('lock'), job.lock),
      args,
      job.tag,
      priority,
      timeoutS,
      optionalUuid(at('parentJob'), job.parentJob),
      optionalUuid(at('rootJob'), job.rootJob),
      optionalText(at('flowStepId'), job.flowStepId),
      requiredText(at('createdBy'), job.createdBy),
      scheduledFor,
      job.notifyCompletion === true,
    ];
    rows.push(row);
    ids.push(id);
    tags.push(job.tag);
  });
  return { ids, values: transpose(rows, 17), tags };
}
