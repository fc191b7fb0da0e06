import 'reflect-metadata';
import { loadConfig, runApp, runMain } from '@millrace/server-kit';
import { AppModule } from './app.module';
import { AgentBrokerConfig } from './config/agent-broker.config';
import { mountAgentFastPath } from './http/agent-fast-path';

runMain('agent-broker', async () => {
  const config = loadConfig(AgentBrokerConfig);
  // 10 MB bounds send_result bodies; push_logs chunks are held to LOG_CHUNK_MAX_BYTES (413).
  await runApp(AppModule.forRoot(config), { port: config.PORT, shutdownGraceS: config.SHUTDOWN_GRACE_S, bodyLimit: '10mb', beforeBodyParsers: mountAgentFastPath });
});
