import { ToInt } from '@millrace/server-kit';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class WaitJobQuery {
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(300)
  timeout_s?: number;
}
