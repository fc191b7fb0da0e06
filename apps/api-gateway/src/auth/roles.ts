export const WORKSPACE_ROLES = ['admin', 'developer', 'operator'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

/** Each role can do everything the roles below it can. */
export function roleRank(role: WorkspaceRole): number {
  switch (role) {
    case 'operator':
      return 1;
    case 'developer':
      return 2;
    case 'admin':
      return 3;
  }
}

export function isWorkspaceRole(v: unknown): v is WorkspaceRole {
  return typeof v === 'string' && (WORKSPACE_ROLES as readonly string[]).includes(v);
}
