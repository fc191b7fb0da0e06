import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule, databaseReadiness } from '@millrace/data-access';
import { createLoggerModule, HealthModule } from '@millrace/server-kit';
import { AuthModule } from './auth/auth.module';
import { AgentBrokerConfig } from './config/agent-broker.config';
import { InitJobsModule } from './init-jobs/init-jobs.module';
import { AgentJobsModule } from './jobs/agent-jobs.module';
import { PingsModule } from './pings/pings.module';
import { PullModule } from './pull/pull.module';
import { QueueModule } from './queue/queue.module';

@Module({})
export class AppModule {
  static forRoot(config: AgentBrokerConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        // update_ping and pull_job never reach Nest (http/agent-fast-path.ts): not logged per request.
        createLoggerModule('agent-broker', config.LOG_LEVEL),
        // The broker owns no tables: it never migrates (job-queue and the gateway do).
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolMax: config.DB_POOL_MAX,
          applicationName: 'millrace-agent-broker',
          migrate: false,
        }),
        HealthModule.register(databaseReadiness()),
        QueueModule,
        AuthModule,
        PullModule,
        AgentJobsModule,
        PingsModule,
        InitJobsModule,
      ],
      providers: [{ provide: AgentBrokerConfig, useValue: config }],
      exports: [AgentBrokerConfig],
    };
  }
}
