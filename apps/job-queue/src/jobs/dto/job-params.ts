import { IsUUID, Matches } from 'class-validator';

export const WORKSPACE_ID = /^[a-z0-9][a-z0-9-]{1,49}$/;

export class WorkspaceParams {
  @Matches(WORKSPACE_ID, { message: 'ws must be a workspace id (a-z 0-9 -, 2-50 characters)' })
  ws!: string;
}

export class JobParams extends WorkspaceParams {
  @IsUUID('all', { message: 'id must be a job id (UUID)' })
  id!: string;
}
