import { QueueError, QueueErrorCode } from './queue.error';
import type { Queryable } from './queryable.types';
import { APPEND_LOG } from './sql/append-log.sql';

interface AppendRow {
  attempt: number | null;
  stored: number | null;
  appended: number | null;
}

/** Enough for a chunk that partly overlaps what is stored plus one lost race. */
const MAX_ROUNDS = 4;

/**
 * Appends `chunk` at byte `offset` of the log of the attempt `claimId` holds. Returns the
 * stored size after it, or null when the claim holds no attempt of the job.
 * - offset equal to what is stored: appended;
 * - the chunk lies within what is stored (a retry): nothing written, the stored size returned;
 * - the chunk starts inside what is stored and runs past it (the client re-chunked): only
 *   the part past the stored size is appended (offsets count bytes, so the cut is exact);
 * - offset past what is stored: LogOffsetGap carrying the stored size.
 */
export async function appendLogChunk(db: Queryable, jobId: string, claimId: string, offset: number, chunk: Buffer): Promise<number | null> {
  let at = offset;
  let rest = chunk;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { rows } = await db.query<AppendRow>({ ...APPEND_LOG, values: [jobId, claimId, at, rest] });
    const row = rows[0];
    if (!row || row.attempt === null) return null;
    if (row.appended !== null) return row.appended;
    const stored = row.stored ?? 0;
    if (at + rest.length <= stored) return stored;
    if (at > stored) throw new QueueError(QueueErrorCode.LogOffsetGap, `log offset ${at} is past the ${stored} bytes stored`, stored);
    if (at < stored) {
      rest = rest.subarray(stored - at);
      at = stored;
    }
    // at === stored yet nothing appended: a concurrent append at this offset won; look again.
  }
  throw new QueueError(QueueErrorCode.LogOffsetGap, `log offset ${at} kept racing with other appends; resend from the server offset`, at);
}
