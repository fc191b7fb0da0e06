import { DatabaseConfig, IsPort } from '@millrace/server-kit';

/** agent-broker settings: the agent API over a small, fixed database pool. */
export class AgentBrokerConfig extends DatabaseConfig {
  @IsPort()
  PORT = 8002;
}
