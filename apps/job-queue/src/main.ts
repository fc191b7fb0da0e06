import 'reflect-metadata';
import { loadConfig, runApp, runMain } from '@millrace/server-kit';
import { AppModule } from './app.module';
import { JobQueueConfig } from './config/job-queue.config';

runMain('job-queue', async () => {
  const config = loadConfig(JobQueueConfig);
  await runApp(AppModule.forRoot(config), { port: config.PORT, shutdownGraceS: config.SHUTDOWN_GRACE_S });
});
