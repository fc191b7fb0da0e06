import { Body, Controller, Header, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Authenticated, Public } from './access.decorators';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { CurrentUser, Principal } from './principal';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @UseGuards(LoginThrottlerGuard)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Log in; returns a session token valid for SESSION_TTL_S (default 7 days)' })
  @ApiOkResponse({ description: 'the session token', schema: { type: 'object', properties: { token: { type: 'string' } }, required: ['token'] } })
  @ApiUnauthorizedResponse({ description: 'wrong email or password' })
  @ApiTooManyRequestsResponse({ description: 'too many attempts for this IP and email' })
  async login(@Body() body: LoginDto): Promise<{ token: string }> {
    return { token: await this.auth.login(body.email, body.password) };
  }

  @Post('logout')
  @Authenticated()
  @HttpCode(200)
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Revoke the token this request carries' })
  async logout(@CurrentUser() user: Principal): Promise<string> {
    await this.auth.logout(user);
    return 'logged out';
  }
}
