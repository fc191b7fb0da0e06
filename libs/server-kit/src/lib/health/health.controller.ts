import { Controller, Get, HttpStatus, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';
import { READINESS_CHECKS, ReadinessCheck } from './readiness';
import { ShutdownState } from './shutdown-state';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * 200 when every dependency answers and the process is not draining; otherwise 503 with
   * terminus's per-check detail (kept as is: probes and operators read it).
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    const accepting = async () => {
      const session = this.indicators.check('accepting');
      return this.shutdown.isDraining ? session.down({ message: 'shutting down' }) : session.up();
    };
    try {
      return await this.health.check([accepting, ...this.checks]);
    } catch (e) {
      if (!(e instanceof ServiceUnavailableException)) throw e;
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return e.getResponse() as HealthCheckResult;
    }
  }
}
