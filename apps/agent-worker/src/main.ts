import 'reflect-metadata';
import { loadConfig, runApp, runMain } from '@millrace/server-kit';
import { AppModule } from './app.module';
import { AgentWorkerConfig } from './config/agent-worker.config';

runMain('agent-worker', async () => {
  const config = loadConfig(AgentWorkerConfig);
  await runApp(AppModule.forRoot(config), { port: config.HEALTH_PORT, shutdownGraceS: config.SHUTDOWN_GRACE_S });
});
