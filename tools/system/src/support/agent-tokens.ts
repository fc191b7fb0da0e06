import { AGENT_AUDIENCE, AGENT_TOKEN_PREFIX } from '@millrace/contracts';
import { JwtService } from '@nestjs/jwt';
import { generateKeyPairSync, randomUUID } from 'node:crypto';

export interface KeyPair {
  privatePem: string;
  publicPem: string;
}

/** The gateway's ES256 key pair, as the launcher makes it. */
export function newKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** An agent token as create_agent_token mints it. */
export function agentToken(keys: KeyPair, workerGroup: string, tags: string[]): { token: string; jti: string } {
  const jti = randomUUID();
  const jwt = new JwtService().sign({ worker_group: workerGroup, tags, jti }, { privateKey: keys.privatePem, algorithm: 'ES256', audience: AGENT_AUDIENCE, expiresIn: 3600 });
  return { token: `${AGENT_TOKEN_PREFIX}${jwt}`, jti };
}
