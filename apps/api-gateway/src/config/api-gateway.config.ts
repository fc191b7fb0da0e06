import { DatabaseConfig, IsPort } from '@millrace/server-kit';

/** api-gateway settings: the public REST API. */
export class GatewayConfig extends DatabaseConfig {
  @IsPort()
  PORT = 8000;
}
