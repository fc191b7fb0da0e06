import { createSecretKey } from 'node:crypto';
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AgentBrokerConfig } from '../config/agent-broker.config';

/** Keeps job tokens apart from any other HS256 token that might share a secret by mistake. */
export const JOB_TOKEN_AUDIENCE = 'millrace-job';

/** What a job token binds: one claim of one job, by one agent worker. */
export interface JobGrant {
  jobId: string;
  claimId: string;
  worker: string;
  workspaceId: string;
}

interface JobTokenPayload {
  sub: string;
  cid: string;
  wkr: string;
  ws: string;
}

function isPayload(p: unknown): p is JobTokenPayload {
  if (typeof p !== 'object' || p === null) return false;
  const o = p as Record<string, unknown>;
  return typeof o['sub'] === 'string' && typeof o['cid'] === 'string' && typeof o['wkr'] === 'string' && typeof o['ws'] === 'string';
}

/**
 * Signs and verifies the job-scoped tokens handed out with each pulled job. HS256 with
 * JOB_TOKEN_SECRET: only brokers issue and check them, and every broker replica shares the
 * secret, so a job pulled from one broker can report to another (or to a restarted one).
 * The secret is a KeyObject made once: handed a string, jsonwebtoken first tries (and fails)
 * to parse it as a PEM key on every sign and verify, an exception each time.
 */
@Injectable()
export class JobTokenService {
  private readonly jwt: JwtService;

  constructor(private readonly config: AgentBrokerConfig) {
    const key = createSecretKey(Buffer.from(config.JOB_TOKEN_SECRET, 'utf8'));
    this.jwt = new JwtService({
      secret: key,
      signOptions: { algorithm: 'HS256', audience: JOB_TOKEN_AUDIENCE },
      verifyOptions: { algorithms: ['HS256'], audience: JOB_TOKEN_AUDIENCE },
    });
  }

  /** Valid for the job's timeout (or JOB_TOKEN_DEFAULT_TTL_S) plus JOB_TOKEN_MARGIN_S. */
  sign(grant: JobGrant, timeoutS: number | null): string {
    const payload: JobTokenPayload = { sub: grant.jobId, cid: grant.claimId, wkr: grant.worker, ws: grant.workspaceId };
    return this.jwt.sign(payload, { expiresIn: (timeoutS ?? this.config.JOB_TOKEN_DEFAULT_TTL_S) + this.config.JOB_TOKEN_MARGIN_S });
  }

  verify(token: string): JobGrant {
    let payload: unknown;
    try {
      payload = this.jwt.verify<object>(token);
    } catch (e) {
      throw new UnauthorizedException(`job token refused: ${e instanceof Error ? e.message : 'invalid'}`);
    }
    if (!isPayload(payload)) throw new UnauthorizedException('job token refused: bad claims');
    return { jobId: payload.sub, claimId: payload.cid, worker: payload.wkr, workspaceId: payload.ws };
  }
}
