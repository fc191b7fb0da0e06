import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule, databaseReadiness } from '@millrace/data-access';
import { createLoggerModule, HealthModule } from '@millrace/server-kit';
import { AgentTokensModule } from './agent-tokens/agent-tokens.module';
import { AuthModule } from './auth/auth.module';
import { Clock } from './common/clock';
import { CoreModule } from './common/core.module';
import { GatewayConfig } from './config/api-gateway.config';
import { JobsModule } from './jobs/jobs.module';
import { KeysModule } from './keys/keys.module';
import { ScriptsModule } from './scripts/scripts.module';
import { UsersModule } from './users/users.module';
import { WorkersModule } from './workers/workers.module';
import { WorkspacesModule } from './workspaces/workspaces.module';

export interface AppOverrides {
  /** Tests move time with their own clock. */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, overrides: AppOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        createLoggerModule('api-gateway', config.LOG_LEVEL),
        CoreModule.forRoot(config, overrides.clock),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolMax: config.DB_POOL_MAX,
          applicationName: 'millrace-api-gateway',
          migrate: !config.DB_SKIP_MIGRATIONS,
        }),
        HealthModule.register(databaseReadiness()),
        AuthModule,
        UsersModule,
        WorkspacesModule,
        KeysModule,
        ScriptsModule,
        JobsModule,
        WorkersModule,
        AgentTokensModule,
      ],
    };
  }
}
