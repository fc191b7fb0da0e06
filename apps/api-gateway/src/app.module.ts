import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule, databaseReadiness } from '@millrace/data-access';
import { createLoggerModule, HealthModule } from '@millrace/server-kit';
import { GatewayConfig } from './config/api-gateway.config';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        createLoggerModule('api-gateway', config.LOG_LEVEL),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolMax: config.DB_POOL_MAX,
          applicationName: 'millrace-api-gateway',
          migrate: !config.DB_SKIP_MIGRATIONS,
        }),
        HealthModule.register(databaseReadiness()),
      ],
      providers: [{ provide: GatewayConfig, useValue: config }],
      exports: [GatewayConfig],
    };
  }
}
