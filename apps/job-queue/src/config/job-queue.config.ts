import { DatabaseConfig, IsPort } from '@millrace/server-kit';

/** job-queue settings: the job lifecycle service and its monitor. */
export class JobQueueConfig extends DatabaseConfig {
  @IsPort()
  PORT = 8001;
}
