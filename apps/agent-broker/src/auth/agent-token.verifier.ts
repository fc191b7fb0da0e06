import { createPublicKey } from 'node:crypto';
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AGENT_AUDIENCE, AGENT_TOKEN_PREFIX, AgentTokenClaims, parseAgentClaims } from '@millrace/contracts';
import { AgentBrokerConfig } from '../config/agent-broker.config';
import { LruCache } from './lru-cache';

interface CachedClaims {
  claims: AgentTokenClaims;
  expiresAtMs: number;
}

/**
 * Verifies `jwt_agent_<JWT>` tokens: ES256 only (pinning the algorithm refuses `none` and an
 * HS256 token "signed" with the public key), gateway's public key, audience `agent`, claims
 * per the contract. Verified claims are cached by token text until the token's `exp`, so a
 * fleet polling every few seconds costs a map lookup, not an ECDSA verification, per call.
 * Revocation is not cached here: the guard checks it on every request. The public key is
 * parsed once into a KeyObject: handed a PEM string, jsonwebtoken parses it on every call.
 */
@Injectable()
export class AgentTokenVerifier {
  private readonly cache: LruCache<string, CachedClaims>;
  private readonly jwt: JwtService;

  constructor(config: AgentBrokerConfig) {
    this.cache = new LruCache(config.AGENT_TOKEN_CACHE_SIZE);
    this.jwt = new JwtService({
      publicKey: createPublicKey(config.JWT_PUBLIC_KEY),
      verifyOptions: { algorithms: ['ES256'], audience: AGENT_AUDIENCE },
    });
  }

  verify(token: string, now = Date.now()): AgentTokenClaims {
    const hit = this.cache.get(token);
    if (hit) {
      if (now < hit.expiresAtMs) return hit.claims;
      this.cache.delete(token);
    }
    if (!token.startsWith(AGENT_TOKEN_PREFIX)) {
      throw new UnauthorizedException(`agent token refused: it must start with ${AGENT_TOKEN_PREFIX}`);
    }
    let payload: unknown;
    try {
      payload = this.jwt.verify<object>(token.slice(AGENT_TOKEN_PREFIX.length), { clockTimestamp: Math.floor(now / 1000) });
    } catch (e) {
      throw new UnauthorizedException(`agent token refused: ${e instanceof Error ? e.message : 'invalid'}`);
    }
    const parsed = parseAgentClaims(payload);
    if ('problems' in parsed) {
      throw new UnauthorizedException(`agent token refused: bad claims (${parsed.problems.join('; ')})`);
    }
    this.cache.set(token, { claims: parsed.claims, expiresAtMs: parsed.claims.exp * 1000 });
    return parsed.claims;
  }
}
