import { BadRequestException, Body, Controller, Get, Header, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorators';
import { CurrentUser, CurrentWorkspace, Principal, WorkspaceAccess } from '../auth/principal';
import { wildcardPath } from '../common/http.util';
import { CreateScriptDto, SCRIPT_PATH, SCRIPT_PATH_MESSAGE } from './dto/create-script.dto';
import { ListScriptsDto } from './dto/list-scripts.dto';
import type { ScriptListItem } from './scripts.repository';
import { ScriptsService, ScriptView } from './scripts.service';

/** Validates a path taken from the URL (DTOs only cover bodies and queries). */
export function scriptPathParam(raw: string | string[] | undefined): string {
  const path = wildcardPath(raw);
  if (path.length > 255 || !SCRIPT_PATH.test(path)) throw new BadRequestException(SCRIPT_PATH_MESSAGE);
  return path;
}

@ApiTags('scripts')
@ApiParam({ name: 'ws', description: 'workspace id' })
@Controller('api/w/:ws/scripts')
export class ScriptsController {
  constructor(private readonly scripts: ScriptsService) {}

  @Post('create')
  @RequireRole('developer')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Save a new immutable version of a script; its argument schema is inferred from main' })
  @ApiCreatedResponse({ description: 'the version\'s hash', schema: { type: 'string', example: '3f2a9c1b0d4e5f67' } })
  create(@CurrentWorkspace() ws: WorkspaceAccess, @CurrentUser() user: Principal, @Body() body: CreateScriptDto): Promise<string> {
    return this.scripts.create(ws.id, user, body);
  }

  @Get('get/p/*path')
  @RequireRole('operator')
  @ApiParam({ name: 'path', description: 'script path, e.g. u/alice/hello' })
  @ApiOperation({ summary: 'The latest version of the script at a path' })
  get(@CurrentWorkspace() ws: WorkspaceAccess, @Param('path') path: string | string[]): Promise<ScriptView> {
    return this.scripts.get(ws.id, scriptPathParam(path));
  }

  @Get('list')
  @RequireRole('operator')
  @ApiOperation({ summary: 'The latest version of every script path (without content), by path' })
  @ApiOkResponse({ description: '[{path, hash, version, language, summary, tag, created_by, created_at}]' })
  list(@CurrentWorkspace() ws: WorkspaceAccess, @Query() q: ListScriptsDto): Promise<ScriptListItem[]> {
    return this.scripts.list(ws.id, q);
  }
}
