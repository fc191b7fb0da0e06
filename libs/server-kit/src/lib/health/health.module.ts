import { DynamicModule, Global, Module, ModuleMetadata } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { register } from 'prom-client';
import { HealthController } from './health.controller';
import { READINESS_CHECKS, ReadinessCheck } from './readiness';
import { ShutdownState } from './shutdown-state';

export interface HealthModuleOptions {
  /** Modules that export what `useFactory` injects. */
  imports?: ModuleMetadata['imports'];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Nest's own provider typing
  inject?: any[];
  /** Builds the app's readiness checks (database ping, upstream services …). */
  useFactory?: (...deps: never[]) => ReadinessCheck[];
}

/**
 * `GET /health/live`, `GET /health/ready` (@nestjs/terminus) and `GET /metrics` (Prometheus,
 * default process metrics included) for every app.
 */
@Global()
@Module({})
export class HealthModule {
  static register(options: HealthModuleOptions = {}): DynamicModule {
    // One app per process owns prom-client's global registry. Starting afresh lets a second
    // app in the same process (tests boot several) register the default metrics again
    // instead of failing with "already registered".
    register.clear();
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false }), PrometheusModule.register({ path: '/metrics' }), ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [
        ShutdownState,
        {
          provide: READINESS_CHECKS,
          inject: options.inject ?? [],
          useFactory: options.useFactory ?? (() => []),
        },
      ],
      exports: [ShutdownState],
    };
  }
}
