import { DynamicModule, Module } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { createLoggerModule, HealthModule } from '@millrace/server-kit';
import { AgentWorkerService } from './agent/agent-worker.service';
import { AgentWorkerConfig } from './config/agent-worker.config';

@Module({})
export class AppModule {
  static forRoot(config: AgentWorkerConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        createLoggerModule('agent-worker', config.LOG_LEVEL),
        HealthModule.register({
          inject: [AgentWorkerService, HealthIndicatorService],
          useFactory: (agent: AgentWorkerService, indicators: HealthIndicatorService) => [
            async () => {
              const s = indicators.check('worker_loop');
              return agent.isRunning ? s.up({ worker: agent.workerName }) : s.down({ worker: agent.workerName, message: 'not pulling jobs' });
            },
          ],
        }),
      ],
      providers: [{ provide: AgentWorkerConfig, useValue: config }, AgentWorkerService],
      exports: [AgentWorkerConfig, AgentWorkerService],
    };
  }
}
