import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule, databaseReadiness } from '@millrace/data-access';
import { createLoggerModule, HealthModule } from '@millrace/server-kit';
import { NormalWorkerConfig } from './config/normal-worker.config';
import { WorkerModule } from './worker/worker.module';

@Module({})
export class AppModule {
  static forRoot(config: NormalWorkerConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        createLoggerModule('normal-worker', config.LOG_LEVEL),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolMax: config.DB_POOL_MAX,
          applicationName: 'millrace-normal-worker',
          migrate: false,
        }),
        HealthModule.register(databaseReadiness()),
        WorkerModule,
      ],
      providers: [{ provide: NormalWorkerConfig, useValue: config }],
      exports: [NormalWorkerConfig],
    };
  }
}
