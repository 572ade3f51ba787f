import { ed25519Sign } from '@evenhand/crypto';
import { approvalMessage, approvalTreatyId, getOfficial, hasRegisteredOfficials, type EntryType, type State } from '@evenhand/core';
import { ServiceError } from '../errors.ts';
import type { Official } from '../auth/roles.ts';

/**
 * An approver's signature on a binding act (issue 13; core officials/approval.ts gives the
 * bytes). The gateway signs with the official's own key, opened for this session by the
 * password, and checks first that the log has that very key registered for the official, so
 * that an act it could only have refused later is refused now, with the reason.
 */
export function approvalsRequired(state: State, party: string): boolean {
  return hasRegisteredOfficials(state.officials, party);
}

export function signApproval(state: State, official: Official, type: EntryType, body: Record<string, unknown>): string {
  if (!official.signingKey) throw new ServiceError('SIGNING_KEY_MISSING', `${official.username} holds no signing key: only an approver's account created with one can approve; ask the gateway's operator for a new approver account`);
  if (!official.signingSeed) throw new ServiceError('SIGNING_KEY_LOCKED', `the signing key of ${official.username} is not open in this session: log out and log in again with your password`);
  const registered = getOfficial(state.officials, official.party, official.username);
  if (!registered || registered.key !== official.signingKey) {
    throw new ServiceError('OFFICIAL_UNKNOWN', `${official.party} has not registered ${official.username}'s key in the log: two registered approvers must register it first (official.register)`);
  }
  if (registered.revokedAt) throw new ServiceError('OFFICIAL_REVOKED', `${official.username} was revoked at entry ${registered.revokedAt.index} and can no longer approve`);
  const message = approvalMessage(approvalTreatyId(state, body), official.party, type, body);
  return Buffer.from(ed25519Sign(official.signingSeed, message)).toString('base64');
}
