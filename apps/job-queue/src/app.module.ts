import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule, databaseReadiness } from '@millrace/data-access';
import { createLoggerModule, HealthModule } from '@millrace/server-kit';
import { JobQueueConfig } from './config/job-queue.config';
import { JobsModule } from './jobs/jobs.module';
import { MonitorModule } from './monitor/monitor.module';
import { QueueModule } from './queue/queue.module';

@Module({})
export class AppModule {
  static forRoot(config: JobQueueConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        createLoggerModule('job-queue', config.LOG_LEVEL),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolMax: config.DB_POOL_MAX,
          applicationName: 'millrace-job-queue',
          migrate: !config.DB_SKIP_MIGRATIONS,
        }),
        HealthModule.register(databaseReadiness()),
        QueueModule,
        JobsModule,
        MonitorModule,
      ],
      providers: [{ provide: JobQueueConfig, useValue: config }],
      exports: [JobQueueConfig],
    };
  }
}
