import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AGENT_AUDIENCE, AGENT_TOKEN_PREFIX } from '@millrace/contracts';
import { isNormalWorkerOnlyTag, isValidTag } from '@millrace/tags';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { KeyStore } from '../keys/key-store';
import { AgentTokenRow, AgentTokensRepository } from './agent-tokens.repository';
import type { BlacklistAgentTokenDto } from './dto/blacklist-agent-token.dto';
import type { CreateAgentTokenDto } from './dto/create-agent-token.dto';

const THREE_YEARS_S = 3 * 365 * 86_400;

/**
 * Agent tokens: ES256 JWTs signed with the gateway's private key, which the brokers verify
 * with the public key only. The claims fix the agent's worker group and the tags it may
 * pull; the token text is returned once and never stored — only its jti and metadata, so it
 * can be listed and revoked.
 */
@Injectable()
export class AgentTokensService {
  private readonly jwt = new JwtService();

  constructor(
    private readonly keys: KeyStore,
    private readonly tokens: AgentTokensRepository,
    private readonly clock: Clock,
  ) {}

  async mint(dto: CreateAgentTokenDto): Promise<string> {
    const tags = [...new Set(dto.tags)];
    const malformed = tags.filter((t) => !isValidTag(t));
    if (malformed.length) throw new BadRequestException(`tags ${malformed.map((t) => JSON.stringify(t)).join(', ')} are not valid: a tag is 1-100 characters of A-Z a-z 0-9 _ . : -`);
    const reserved = tags.filter(isNormalWorkerOnlyTag);
    if (reserved.length) throw new BadRequestException(`tags ${reserved.join(', ')} are reserved for normal workers (flows and dependency jobs never run on agents)`);
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const exp = dto.exp ?? now + THREE_YEARS_S;
    if (exp <= now) throw new BadRequestException('exp must be in the future (unix seconds)');
    const jti = randomUUID();
    const jwt = this.jwt.sign(
      { worker_group: dto.worker_group, tags, jti, iat: now, exp },
      { privateKey: this.keys.privateKeyPem, algorithm: 'ES256', audience: AGENT_AUDIENCE },
    );
    await this.tokens.insert({ jti, workerGroup: dto.worker_group, tags, createdAt: new Date(now * 1000), exp: new Date(exp * 1000) });
    return `${AGENT_TOKEN_PREFIX}${jwt}`;
  }

  list(): Promise<AgentTokenRow[]> {
    return this.tokens.list();
  }

  async blacklist(dto: BlacklistAgentTokenDto): Promise<{ jti: string; revoked: true }> {
    if ((dto.token === undefined) === (dto.jti === undefined)) throw new BadRequestException('give exactly one of token and jti');
    const jti = dto.jti ?? this.jtiOf(dto.token ?? '');
    if (!(await this.tokens.revoke(jti, this.clock.now()))) throw new NotFoundException(`no agent token with jti ${jti}`);
    return { jti, revoked: true };
  }

  /** Only a token this gateway signed can be named by its text (expired ones included). */
  private jtiOf(token: string): string {
    if (!token.startsWith(AGENT_TOKEN_PREFIX)) throw new BadRequestException(`token must start with ${AGENT_TOKEN_PREFIX}`);
    try {
      const claims = this.jwt.verify<{ jti?: unknown }>(token.slice(AGENT_TOKEN_PREFIX.length), {
        publicKey: this.keys.publicKeyPem,
        algorithms: ['ES256'],
        audience: AGENT_AUDIENCE,
        ignoreExpiration: true,
      });
      if (typeof claims.jti !== 'string') throw new Error('no jti');
      return claims.jti;
    } catch (e) {
      throw new BadRequestException(`token is not an agent token signed by this gateway (${e instanceof Error ? e.message : 'invalid'})`);
    }
  }
}
