import { ToBool } from '@millrace/server-kit';
import { IsBoolean, IsOptional } from 'class-validator';

/**
 * `POST …/send_result/{id}?next=true`: the agent still holds its next job and wants the one
 * after. Once the result is stored the broker claims for it as `pull_job?wait_s=0&prefetch=true`
 * would, and answers with that job as `next` (or `next: null`): one exchange instead of a
 * result and a pull.
 */
export class SendResultQuery {
  @IsOptional()
  @ToBool()
  @IsBoolean({ message: 'next must be true or false' })
  next = false;
}
