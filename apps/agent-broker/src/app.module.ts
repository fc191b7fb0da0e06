import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule, databaseReadiness } from '@millrace/data-access';
import { createLoggerModule, HealthModule } from '@millrace/server-kit';
import { AgentBrokerConfig } from './config/agent-broker.config';

@Module({})
export class AppModule {
  static forRoot(config: AgentBrokerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        createLoggerModule('agent-broker', config.LOG_LEVEL),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolMax: config.DB_POOL_MAX,
          applicationName: 'millrace-agent-broker',
          migrate: false,
        }),
        HealthModule.register(databaseReadiness()),
      ],
      providers: [{ provide: AgentBrokerConfig, useValue: config }],
      exports: [AgentBrokerConfig],
    };
  }
}
