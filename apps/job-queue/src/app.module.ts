import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule, databaseReadiness } from '@millrace/data-access';
import { createLoggerModule, HealthModule } from '@millrace/server-kit';
import { JobQueueConfig } from './config/job-queue.config';

@Module({})
export class AppModule {
  static forRoot(config: JobQueueConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        createLoggerModule('job-queue', config.LOG_LEVEL),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolMax: config.DB_POOL_MAX,
          applicationName: 'millrace-job-queue',
          migrate: !config.DB_SKIP_MIGRATIONS,
        }),
        HealthModule.register(databaseReadiness()),
      ],
      providers: [{ provide: JobQueueConfig, useValue: config }],
      exports: [JobQueueConfig],
    };
  }
}
