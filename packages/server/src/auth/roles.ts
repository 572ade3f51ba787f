/** The roles of a central authority's officials (DESIGN.md "Who uses it"): the core's table, which also says who takes each act. */
export { OFFICIAL_ROLES as ROLES, isOfficialRole as isRole, type OfficialRole as Role } from '@evenhand/core';
import type { OfficialRole } from '@evenhand/core';

/** The official behind an authenticated request. */
export interface Official {
  readonly username: string;
  readonly party: string;
  readonly role: OfficialRole;
  readonly csrfToken: string;
  /** An approver's signing seed, opened for this session by its cookie (official-keys.ts); absent otherwise. */
  readonly signingSeed?: Uint8Array | undefined;
  /** Its public key (base64), as registered in the log. */
  readonly signingKey?: string | undefined;
}
