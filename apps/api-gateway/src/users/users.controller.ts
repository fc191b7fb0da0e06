import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, SuperadminOnly } from '../auth/access.decorators';
import { CurrentUser, Principal } from '../auth/principal';
import type { TokenSummary } from '../auth/tokens.repository';
import { CreateTokenDto } from './dto/create-token.dto';
import { CreateUserDto } from './dto/create-user.dto';
import { UsersService, WhoAmI } from './users.service';

@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('whoami')
  @Authenticated()
  @ApiOperation({ summary: 'The caller: email, superadmin flag, workspaces and roles' })
  whoami(@CurrentUser() user: Principal): Promise<WhoAmI> {
    return this.users.whoami(user);
  }

  @Post('create')
  @SuperadminOnly()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Create a user (superadmin)' })
  @ApiCreatedResponse({ description: 'the new user\'s email', schema: { type: 'string' } })
  @ApiConflictResponse({ description: 'the email is taken' })
  async create(@Body() body: CreateUserDto): Promise<string> {
    await this.users.create(body);
    return body.email;
  }

  @Post('tokens/create')
  @Authenticated()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Create an API token; the text is shown this once (only its hash is stored)' })
  @ApiCreatedResponse({ description: 'the token', schema: { type: 'string' } })
  createToken(@CurrentUser() user: Principal, @Body() body: CreateTokenDto): Promise<string> {
    return this.users.createToken(user, body);
  }

  @Get('tokens/list')
  @Authenticated()
  @ApiOperation({ summary: 'The caller\'s live tokens (sessions and API tokens), by prefix' })
  @ApiOkResponse({ description: '[{token_prefix, kind, label, created_at, expiration}]' })
  listTokens(@CurrentUser() user: Principal): Promise<TokenSummary[]> {
    return this.users.listTokens(user);
  }

  @Delete('tokens/delete/:token_prefix')
  @Authenticated()
  @HttpCode(200)
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Revoke the caller\'s token(s) with this prefix (as listed)' })
  @ApiNotFoundResponse({ description: 'no live token of the caller has this prefix' })
  async deleteToken(@CurrentUser() user: Principal, @Param('token_prefix') prefix: string): Promise<string> {
    await this.users.deleteToken(user, prefix);
    return `revoked token ${prefix}`;
  }
}
