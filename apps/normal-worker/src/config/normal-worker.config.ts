import { DatabaseConfig, IsPort } from '@millrace/server-kit';

/** normal-worker settings; it serves only health and metrics over HTTP. */
export class NormalWorkerConfig extends DatabaseConfig {
  @IsPort()
  HEALTH_PORT = 8003;
}
