import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { ScriptSchema } from '@millrace/contracts';
import type { ScriptLanguage } from '@millrace/tags';
import type { Principal } from '../auth/principal';
import type { CreateScriptDto } from './dto/create-script.dto';
import type { ListScriptsDto } from './dto/list-scripts.dto';
import { ScriptAnalyzer } from './script-analyzer';
import { ScriptListItem, ScriptsRepository, ScriptVersion } from './scripts.repository';
import { tagTemplateProblem } from './tag-template.util';

/** `GET scripts/get/p/{path}` (API.md), plus the version's bookkeeping. */
export interface ScriptView {
  workspace_id: string;
  path: string;
  hash: string;
  version: number;
  parent_hash: string | null;
  language: ScriptLanguage;
  content: string;
  schema: ScriptSchema;
  summary: string;
  tag: string | null;
  timeout_s: number | null;
  priority: number | null;
  lock: string | null;
  /** `ready` with a lockfile, `none` without (dependency resolution is not wired yet). */
  lock_status: 'ready' | 'none';
  created_by: string;
  created_at: string;
}

@Injectable()
export class ScriptsService {
  constructor(
    private readonly analyzer: ScriptAnalyzer,
    private readonly repo: ScriptsRepository,
  ) {}

  /** Analyses first (no transaction held while python3 runs), then stores the version. */
  async create(workspaceId: string, by: Principal, dto: CreateScriptDto): Promise<string> {
    const analysis = await this.analyzer.analyze(dto.language, dto.content);
    const tag = dto.tag === undefined || dto.tag.trim() === '' ? null : dto.tag;
    if (tag !== null) {
      const problem = tagTemplateProblem(tag, analysis.schema);
      if (problem) throw new BadRequestException(problem);
    }
    return this.repo.insertVersion({
      workspaceId,
      path: dto.path,
      language: dto.language,
      content: dto.content,
      compiledContent: analysis.compiled,
      schema: analysis.schema,
      summary: dto.summary ?? '',
      tag,
      timeoutS: dto.timeout_s ?? null,
      priority: dto.priority ?? null,
      lock: dto.lock ?? null,
      createdBy: by.email,
    });
  }

  /** The latest version, or 404 naming the path. */
  async latest(workspaceId: string, path: string): Promise<ScriptVersion> {
    const v = await this.repo.latest(workspaceId, path);
    if (!v) throw new NotFoundException(`script ${path} not found in workspace ${workspaceId}`);
    return v;
  }

  async get(workspaceId: string, path: string): Promise<ScriptView> {
    const v = await this.latest(workspaceId, path);
    return {
      workspace_id: v.workspaceId,
      path: v.path,
      hash: v.hash,
      version: v.version,
      parent_hash: v.parentHash,
      language: v.language,
      content: v.content,
      schema: v.schema,
      summary: v.summary,
      tag: v.tag,
      timeout_s: v.timeoutS,
      priority: v.priority,
      lock: v.lock,
      lock_status: v.lock === null ? 'none' : 'ready',
      created_by: v.createdBy,
      created_at: v.createdAt.toISOString(),
    };
  }

  list(workspaceId: string, q: ListScriptsDto): Promise<ScriptListItem[]> {
    return this.repo.listLatest(workspaceId, q.path_start ?? '', q.page ?? 1, q.per_page ?? 100);
  }
}
