import 'reflect-metadata';
import { loadConfig, runApp, runMain } from '@millrace/server-kit';
import { AppModule } from './app.module';
import { AgentBrokerConfig } from './config/agent-broker.config';

runMain('agent-broker', async () => {
  const config = loadConfig(AgentBrokerConfig);
  await runApp(AppModule.forRoot(config), { port: config.PORT, shutdownGraceS: config.SHUTDOWN_GRACE_S });
});
