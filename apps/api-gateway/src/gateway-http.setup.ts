import type { INestApplication } from '@nestjs/common';
import { mountAgentBrokerProxy } from './agent-tokens/agent-broker.proxy';
import type { GatewayConfig } from './config/api-gateway.config';
import { setupOpenApi } from './openapi/openapi.setup';

/** What the gateway mounts before body parsing: the Agent API proxy (raw streams) and OpenAPI. */
export function gatewayHttpSetup(config: GatewayConfig): (app: INestApplication) => void {
  return (app) => {
    mountAgentBrokerProxy(app, config.AGENT_BROKER_URL);
    setupOpenApi(app);
  };
}
