import { AGENT_AUDIENCE, AGENT_TOKEN_PREFIX } from '@millrace/contracts';
import { JwtService } from '@nestjs/jwt';
import { KeyPair, newKeyPair } from '@millrace/testing';
import { randomUUID } from 'node:crypto';

export { newKeyPair, type KeyPair };


/** An agent token as create_agent_token mints it. */
export function agentToken(keys: KeyPair, workerGroup: string, tags: string[]): { token: string; jti: string } {
  const jti = randomUUID();
  const jwt = new JwtService().sign({ worker_group: workerGroup, tags, jti }, { privateKey: keys.privatePem, algorithm: 'ES256', audience: AGENT_AUDIENCE, expiresIn: 3600 });
  return { token: `${AGENT_TOKEN_PREFIX}${jwt}`, jti };
}
