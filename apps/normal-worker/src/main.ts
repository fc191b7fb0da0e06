import 'reflect-metadata';
import { loadConfig, runApp, runMain } from '@millrace/server-kit';
import { AppModule } from './app.module';
import { NormalWorkerConfig } from './config/normal-worker.config';

runMain('normal-worker', async () => {
  const config = loadConfig(NormalWorkerConfig);
  await runApp(AppModule.forRoot(config), { port: config.HEALTH_PORT, shutdownGraceS: config.SHUTDOWN_GRACE_S });
});
