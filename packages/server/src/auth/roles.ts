/** The roles of a central authority's officials (DESIGN.md "Who uses it"). */
export const ROLES = ['clerk', 'reviewer', 'approver', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The official behind an authenticated request. */
export interface Official {
  readonly username: string;
  readonly party: string;
  readonly role: Role;
  readonly csrfToken: string;
}
