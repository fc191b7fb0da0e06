import type { HealthIndicatorResult } from '@nestjs/terminus';

/** Injection token for the app's list of readiness checks. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

export type ReadinessCheck = () => Promise<HealthIndicatorResult>;
