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
        // Every agent pings every few seconds and renews its long poll: thousands of requests
        // a second with nothing to say. Job deliveries, results and failures are logged.
        createLoggerModule('agent-broker', config.LOG_LEVEL, { unloggedRoutes: ['api/agent_workers/update_ping', 'api/agent_workers/pull_job'] }),
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
