import { DynamicModule, Module } from '@nestjs/common';
import { createLoggerModule, HealthModule } from '@millrace/server-kit';
import { AgentWorkerConfig } from './config/agent-worker.config';

@Module({})
export class AppModule {
  static forRoot(config: AgentWorkerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [createLoggerModule('agent-worker', config.LOG_LEVEL), HealthModule.register()],
      providers: [{ provide: AgentWorkerConfig, useValue: config }],
      exports: [AgentWorkerConfig],
    };
  }
}
