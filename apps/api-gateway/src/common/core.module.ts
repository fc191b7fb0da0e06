import { DynamicModule, Global, Module } from '@nestjs/common';
import { GatewayConfig } from '../config/api-gateway.config';
import { Clock } from './clock';

/** The config object and the clock, visible to every feature module. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: GatewayConfig, clock: Clock = new Clock()): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: GatewayConfig, useValue: config },
        { provide: Clock, useValue: clock },
      ],
      exports: [GatewayConfig, Clock],
    };
  }
}
