import { Body, Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SuperadminOnly } from '../auth/access.decorators';
import type { AgentTokenRow } from './agent-tokens.repository';
import { AgentTokensService } from './agent-tokens.service';
import { BlacklistAgentTokenDto } from './dto/blacklist-agent-token.dto';
import { CreateAgentTokenDto } from './dto/create-agent-token.dto';

/** Minting and revoking agent tokens (superadmin only); the rest of /api/agent_workers is the broker's. */
@ApiTags('agent tokens')
@Controller('api/agent_workers')
export class AgentTokensController {
  constructor(private readonly tokens: AgentTokensService) {}

  @Post('create_agent_token')
  @SuperadminOnly()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Mint an agent token (superadmin); the text is shown this once' })
  @ApiCreatedResponse({ description: 'jwt_agent_<JWT>', schema: { type: 'string' } })
  @ApiBadRequestResponse({ description: 'bad worker group, malformed or reserved tag, exp in the past' })
  create(@Body() dto: CreateAgentTokenDto): Promise<string> {
    return this.tokens.mint(dto);
  }

  @Get('list_tokens')
  @SuperadminOnly()
  @ApiOperation({ summary: 'Minted agent tokens by jti (never the token text)' })
  @ApiOkResponse({ description: '[{jti, worker_group, tags, created_at, exp, revoked_at}]' })
  list(): Promise<AgentTokenRow[]> {
    return this.tokens.list();
  }

  @Post('blacklist_token')
  @SuperadminOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an agent token by text or jti; every broker refuses it within 5 s' })
  @ApiNotFoundResponse({ description: 'no such jti' })
  blacklist(@Body() dto: BlacklistAgentTokenDto): Promise<{ jti: string; revoked: true }> {
    return this.tokens.blacklist(dto);
  }
}
