import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { WorkspaceRole } from './roles';

export const PUBLIC_ROUTE = 'millrace:public';
export const SUPERADMIN_ONLY = 'millrace:superadmin';
export const MIN_WORKSPACE_ROLE = 'millrace:min-role';

/** No credentials needed (login). Every other `/api/` route needs a bearer token. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export const SuperadminOnly = () =>
  applyDecorators(SetMetadata(SUPERADMIN_ONLY, true), ApiBearerAuth(), ApiUnauthorizedResponse({ description: 'no or bad token' }), ApiForbiddenResponse({ description: 'not a superadmin' }));

/**
 * The route acts in workspace `:ws`: a non-member gets 404 (the workspace's existence is
 * not disclosed), a member below `min` gets 403; a superadmin passes everywhere.
 */
export const RequireRole = (min: WorkspaceRole) =>
  applyDecorators(
    SetMetadata(MIN_WORKSPACE_ROLE, min),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'no or bad token' }),
    ApiForbiddenResponse({ description: `needs role ${min} or above` }),
    ApiNotFoundResponse({ description: 'no such workspace, or not a member' }),
  );

export const Authenticated = () => applyDecorators(ApiBearerAuth(), ApiUnauthorizedResponse({ description: 'no or bad token' }));
